"""Mastodon sources against a contract double of an instance (a local HTTP server that answers
as Mastodon's API documentation says: timelines paged by `min_id` with Link and X-RateLimit-*
headers, a 429 when the limit is spent, and `text/event-stream` streaming with `:thump`
heartbeats): statuses arrive as mentions of the right brand, a dropped stream and a restart
are caught up from the stored cursor with no gap and no duplicate."""

import json
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import select
from vigie.listener.v1 import resources_pb2 as pb
from vigie_listener.adapters.orm import MentionRow, SourceRow
from vigie_listener.config import Settings
from vigie_listener.testing import LUMIERE, captured, query, running, seed_brands, seed_source
from vigie_runtime.database import create_engine, session_factory
from vigie_runtime.testing.tokens import TestKeys
from vigie_runtime.testing.waiting import eventually

from .test_feed_source import serving_http

FIRST_ID = 113_000_000_000_000_000


@dataclass
class Instance:
    """What the double serves, and what it was asked."""

    statuses: list[dict[str, Any]] = field(default_factory=list)
    changed: threading.Condition = field(default_factory=threading.Condition)
    # Timeline requests still to refuse with 429.
    refuse: int = 0
    refused: int = 0
    # Bumped to drop every open stream.
    generation: int = 0
    streams_opened: list[str] = field(default_factory=list)
    timeline_paths: list[str] = field(default_factory=list)
    base_url: str = ""

    def post(self, text: str, tags: tuple[str, ...] = (), language: str = "fr") -> str:
        with self.changed:
            status_id = str(FIRST_ID + len(self.statuses) * 65536)
            self.statuses.append(_status(self, status_id, text, tags, language))
            self.changed.notify_all()
        return f"{self.base_url}/users/alice/statuses/{status_id}"

    def drop_streams(self) -> None:
        with self.changed:
            self.generation += 1
            self.changed.notify_all()


def _status(
    instance: Instance, status_id: str, text: str, tags: tuple[str, ...], language: str
) -> dict[str, Any]:
    links = "".join(
        f' <a href="{instance.base_url}/tags/{t}" class="mention hashtag">#<span>{t}</span></a>'
        for t in tags
    )
    return {
        "id": status_id,
        "uri": f"{instance.base_url}/users/alice/statuses/{status_id}",
        "url": f"{instance.base_url}/@alice/{status_id}",
        "created_at": "2026-03-01T12:00:00.000Z",
        "content": f"<p>{text}{links}</p>",
        "spoiler_text": "",
        "visibility": "public",
        "language": language,
        "in_reply_to_id": None,
        "reblog": None,
        "tags": [{"name": t, "url": f"{instance.base_url}/tags/{t}"} for t in tags],
        "account": {
            "id": "1", "username": "alice", "acct": "alice", "display_name": "Alice",
            "url": f"{instance.base_url}/@alice", "followers_count": 42,
        },
    }  # fmt: skip


def _tagged(status: dict[str, Any], tag: str) -> bool:
    return not tag or any(t["name"] == tag for t in status["tags"])


def _handler(instance: Instance) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            url = urlsplit(self.path)
            params = {k: v[0] for k, v in parse_qs(url.query).items()}
            if url.path.startswith("/api/v1/streaming/"):
                self._stream(url.path, params.get("tag", ""))
            elif url.path == "/api/v1/timelines/public":
                self._timeline(url.path, params, "")
            elif url.path.startswith("/api/v1/timelines/tag/"):
                self._timeline(url.path, params, url.path.rsplit("/", 1)[1])
            else:
                self._json(404, {"error": "Record not found"}, {})

        def _json(self, status: int, body: object, headers: dict[str, str]) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

        def _timeline(self, path: str, params: dict[str, str], tag: str) -> None:
            instance.timeline_paths.append(path)
            reset = (datetime.now(UTC) + timedelta(seconds=1)).isoformat()
            limits = {"X-RateLimit-Limit": "300", "X-RateLimit-Reset": reset}
            if instance.refuse:
                instance.refuse -= 1
                instance.refused += 1
                headers = {**limits, "X-RateLimit-Remaining": "0"}
                self._json(429, {"error": "Too many requests"}, headers)
                return
            limit = min(40, int(params.get("limit", "20")))
            with instance.changed:
                matching = [s for s in instance.statuses if _tagged(s, tag)]
            min_id = int(params.get("min_id", "0"))
            after = [s for s in matching if int(s["id"]) > min_id]
            # min_id: the page right after it; otherwise the newest page. Newest first, always.
            chosen = after[:limit] if "min_id" in params else after[-limit:]
            page = chosen[::-1]
            headers = {**limits, "X-RateLimit-Remaining": "299"}
            if page:
                base = f"{instance.base_url}{path}?limit={limit}"
                headers["Link"] = (
                    f'<{base}&max_id={page[-1]["id"]}>; rel="next", '
                    f'<{base}&min_id={page[0]["id"]}>; rel="prev"'
                )
            self._json(200, page, headers)

        def _stream(self, path: str, tag: str) -> None:
            instance.streams_opened.append(path)
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-store")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            with instance.changed:
                generation, sent = instance.generation, len(instance.statuses)
            self._chunk(":)\n")
            try:
                while True:
                    with instance.changed:
                        instance.changed.wait(0.2)
                        if instance.generation != generation:
                            break  # the stream is dropped without a final chunk
                        fresh, sent = instance.statuses[sent:], len(instance.statuses)
                    events = [
                        f"event: update\ndata: {json.dumps(s)}\n\n"
                        for s in fresh
                        if _tagged(s, tag)
                    ]
                    self._chunk("".join(events) + "event: delete\ndata: 1\n\n:thump\n")
            except OSError:
                pass
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)

        def _chunk(self, text: str) -> None:
            data = text.encode()
            self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
            self.wfile.flush()

    return Handler


@pytest.fixture
def instance() -> Iterator[Instance]:
    state = Instance()
    with serving_http(_handler(state)) as state.base_url:
        try:
            yield state
        finally:
            state.drop_streams()  # open streams would hold the server's shutdown


async def source_row(database_url: str, source_id: str) -> SourceRow:
    engine = create_engine(database_url)
    try:
        async with session_factory(engine)() as session:
            row = await session.get(SourceRow, source_id)
            assert row is not None
            return row
    finally:
        await engine.dispose()


async def mentions(database_url: str) -> dict[str, MentionRow]:
    engine = create_engine(database_url)
    try:
        async with session_factory(engine)() as session:
            rows = (await session.execute(select(MentionRow))).scalars()
            return {r.external_id: r for r in rows}
    finally:
        await engine.dispose()


async def test_statuses_arrive_live_and_a_dropped_stream_or_restart_loses_and_repeats_none(
    settings: Settings, instance: Instance
) -> None:
    keys = TestKeys(settings.platform.jwks_file)
    instance.post("Lumière avant le curseur")
    cursor = instance.statuses[-1]["id"]
    # Left while the source was away: more than one page of catch-up.
    backlog = [instance.post(f"Lumière en attente {n}") for n in range(45)]
    instance.post("rien à voir")
    instance.refuse = 1
    expected = set(backlog)
    async with running(settings, keys) as listener:
        await seed_brands(settings.database_url)
        await query(listener, LUMIERE, "lumiere")
        config: dict[str, object] = {"instance_url": instance.base_url, "stream": "public"}
        await seed_source(settings.database_url, "masto", pb.SOURCE_KIND_MASTODON, config, cursor)

        async def have_all() -> bool:
            return {m for m, _ in await captured(settings.database_url)} == expected

        await eventually(have_all)
        expected.add(instance.post("Lumière <b>en direct</b> &amp; en gras"))
        await eventually(have_all)
        instance.drop_streams()
        expected.add(instance.post("Lumière pendant la coupure"))
        await eventually(have_all)
        assert len(instance.streams_opened) >= 2
    expected |= {instance.post(f"Lumière à l'arrêt {n}") for n in range(3)}
    async with running(settings, keys):
        await eventually(have_all)
        expected.add(instance.post("Lumière après le redémarrage"))
        await eventually(have_all)
    stored = await captured(settings.database_url)
    assert len(stored) == len(expected) and {b for _, b in stored} == {"lumiere"}
    live = (await mentions(settings.database_url))[sorted(expected)[0]]
    row = await source_row(settings.database_url, "masto")
    assert instance.refused == 1 and row.error_count >= 2
    assert row.cursor == instance.statuses[-1]["id"]
    assert live.author_handle == "@alice" and live.author_followers == 42
    assert live.language == "fr" and "<" not in live.text


async def test_a_hashtag_source_reads_the_tag_stream_and_timeline_only(
    settings: Settings, instance: Instance
) -> None:
    keys = TestKeys(settings.platform.jwks_file)
    tagged = instance.post("Café Lumière", tags=("cafe",))
    instance.post("Lumière sans tag")
    async with running(settings, keys) as listener:
        await seed_brands(settings.database_url)
        await query(listener, LUMIERE, "lumiere")
        config: dict[str, object] = {
            "instance_url": instance.base_url, "stream": "hashtag", "hashtag": "cafe",
        }  # fmt: skip
        await seed_source(settings.database_url, "tag", pb.SOURCE_KIND_MASTODON, config)

        async def first() -> bool:
            return {m for m, _ in await captured(settings.database_url)} == {tagged}

        await eventually(first)
        later = instance.post("Lumière en direct", tags=("cafe",))
        instance.post("Lumière encore sans tag")

        async def second() -> bool:
            return {m for m, _ in await captured(settings.database_url)} == {tagged, later}

        await eventually(second)
    assert set(instance.streams_opened) == {"/api/v1/streaming/hashtag"}
    assert set(instance.timeline_paths) == {"/api/v1/timelines/tag/cafe"}
