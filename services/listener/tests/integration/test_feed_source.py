"""RSS and Atom sources against feeds served by a local HTTP server: entries arrive as mentions
of the right brand with their author, link, time and language; a conditional GET answered 304
captures nothing; a restart captures only what is new; broken feeds are counted in the
source's health without stopping the connector or losing the good entries."""

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from sqlalchemy import select
from vigie.listener.v1 import listener_pb2 as rpc
from vigie.listener.v1 import resources_pb2 as pb
from vigie_listener.adapters.feeds_http import FeedFetcher, FeedUnavailable, Validators
from vigie_listener.adapters.orm import MentionRow, SourceRow
from vigie_listener.config import Settings
from vigie_listener.testing import (
    LUMIERE,
    RIVAL,
    captured,
    query,
    running,
    seed_brands,
    seed_source,
)
from vigie_runtime.database import create_engine, session_factory
from vigie_runtime.testing.tokens import TestKeys
from vigie_runtime.testing.waiting import eventually

FIXTURES = Path(__file__).parent / "test_feed_fixtures"
RSS = "application/rss+xml; charset=utf-8"
ATOM = "application/atom+xml; charset=utf-8"


@dataclass
class Route:
    body: bytes
    content_type: str = RSS
    status: int = 200
    etag: str = ""
    # Seconds before answering (a feed that times out).
    stall_s: float = 0.0


@dataclass
class FeedServer:
    routes: dict[str, Route] = field(default_factory=dict)
    # (path, If-None-Match sent, status answered) of every request.
    requests: list[tuple[str, str, int]] = field(default_factory=list)
    base_url: str = ""

    def url(self, path: str) -> str:
        return f"{self.base_url}{path}"


def _handler(server: FeedServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            route = server.routes.get(self.path)
            asked = self.headers.get("If-None-Match", "")
            if route is not None and route.stall_s:
                threading.Event().wait(route.stall_s)
            if route is None:
                status = 404
            elif route.etag and asked == route.etag:
                status = 304
            else:
                status = route.status
            server.requests.append((self.path, asked, status))
            self.send_response(status)
            if route is not None and route.etag:
                self.send_header("ETag", route.etag)
            if status != 200 or route is None:
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_header("Content-Type", route.content_type)
            self.send_header("Content-Length", str(len(route.body)))
            self.end_headers()
            self.wfile.write(route.body)

    return Handler


@contextmanager
def serving_http(handler: type[BaseHTTPRequestHandler]) -> Iterator[str]:
    """A local HTTP server in a thread (quiet, one thread a request); yields its base URL."""
    handler.log_message = lambda *args: None  # type: ignore[method-assign]
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture
def feeds() -> Iterator[FeedServer]:
    state = FeedServer()
    with serving_http(_handler(state)) as state.base_url:
        yield state


async def feed_source(settings: Settings, source_id: str, url: str) -> str:
    config: dict[str, object] = {"feed_url": url, "poll_interval_seconds": 1}
    return await seed_source(settings.database_url, source_id, pb.SOURCE_KIND_RSS, config)


async def sources(database_url: str) -> dict[str, SourceRow]:
    engine = create_engine(database_url)
    try:
        async with session_factory(engine)() as session:
            return {r.id: r for r in (await session.execute(select(SourceRow))).scalars()}
    finally:
        await engine.dispose()


async def mention_of(database_url: str, external_id: str) -> MentionRow:
    engine = create_engine(database_url)
    try:
        async with session_factory(engine)() as session:
            found = select(MentionRow).where(MentionRow.external_id == external_id)
            return (await session.execute(found)).scalars().one()
    finally:
        await engine.dispose()


NEWS_ITEM = """<item><title>Lumière ouvre à Bordeaux</title>
<link>https://journal.example/2026/03/lumiere-bordeaux</link><guid isPermaLink="false">journal-4712</guid>
<pubDate>Mon, 02 Mar 2026 07:00:00 +0000</pubDate><description>Nouvelle adresse.</description>
</item>"""


async def test_feed_entries_arrive_once_as_mentions_of_their_brand_across_a_restart(
    settings: Settings, feeds: FeedServer
) -> None:
    keys = TestKeys(settings.platform.jwks_file)
    news = (FIXTURES / "news.rss.xml").read_bytes()
    feeds.routes["/news.xml"] = Route(news, RSS, etag='"news-1"')
    feeds.routes["/reviews.atom"] = Route((FIXTURES / "reviews.atom.xml").read_bytes(), ATOM)
    first = {
        ("journal-4711", "lumiere"),
        ("https://journal.example/2026/02/rival-prix", "rival"),
        ("tag:reviews.example,2026:entry-88", "lumiere"),
        ("tag:reviews.example,2026:entry-87", "rival"),
    }
    async with running(settings, keys) as listener:
        await seed_brands(settings.database_url)
        await query(listener, LUMIERE, "lumiere")
        await query(listener, RIVAL, "rival")
        await feed_source(settings, "news", feeds.url("/news.xml"))
        await feed_source(settings, "reviews", feeds.url("/reviews.atom"))

        async def all_first_and_a_304() -> bool:
            answered = {(p, s) for p, _, s in feeds.requests}
            mentions = set(await captured(settings.database_url))
            return mentions == first and ("/news.xml", 304) in answered

        await eventually(all_first_and_a_304)
    assert ("/news.xml", '"news-1"', 304) in feeds.requests
    opening = await mention_of(settings.database_url, "journal-4711")
    assert opening.url == "https://journal.example/2026/03/lumiere-lyon"
    assert opening.author_handle == "Élodie Martin" and opening.language == "fr"
    assert opening.publish_time.replace(tzinfo=UTC) == datetime(2026, 3, 1, 9, 15, tzinfo=UTC)
    assert "brunch du dimanche" in opening.text and "track()" not in opening.text
    review = await mention_of(settings.database_url, "tag:reviews.example,2026:entry-87")
    assert review.language == "de" and review.author_display_name == "Jonas Weber"

    feeds.routes["/news.xml"] = Route(
        news.replace(b"<item>", NEWS_ITEM.encode() + b"<item>", 1), RSS, etag='"news-2"'
    )
    async with running(settings, keys):

        async def the_new_one() -> bool:
            return ("journal-4712", "lumiere") in await captured(settings.database_url)

        await eventually(the_new_one)
    mentions = await captured(settings.database_url)
    assert sorted(mentions) == sorted(first | {("journal-4712", "lumiere")})


def rss_document(*items: str, encoding: str = "UTF-8") -> bytes:
    head = f'<?xml version="1.0" encoding="{encoding}"?><rss version="2.0"><channel><title>t'
    return (head + "</title>" + "".join(items) + "</channel></rss>").encode("utf-8")


def rss_item(guid: str, title: str, description: str = "") -> str:
    return (
        f'<item><title>{title}</title><guid isPermaLink="false">{guid}</guid>'
        f"<description><![CDATA[{description}]]></description></item>"
    )


async def test_broken_feeds_are_counted_in_health_and_their_good_entries_still_arrive(
    settings: Settings, feeds: FeedServer
) -> None:
    keys = TestKeys(settings.platform.jwks_file)
    latin = rss_document(rss_item("bad-utf8", "Lumière à Paris")).replace("è".encode(), b"\xe8")
    giant = rss_document(
        rss_item("giant", "Lumière", "<p>Lumière</p>" * 50_000),
        rss_item("small", "Lumière voisine"),
    )
    feeds.routes["/down.xml"] = Route(b"", status=500)
    feeds.routes["/garbage.xml"] = Route(b"<rss><channel><item><title>Lumi\x00<<")
    feeds.routes["/page.xml"] = Route(b"<html><body>Moved</body></html>", "text/html")
    feeds.routes["/latin.xml"] = Route(latin)
    feeds.routes["/giant.xml"] = Route(giant)
    feeds.routes["/fine.xml"] = Route(rss_document(rss_item("fine", "Lumière tient bon")))
    async with running(settings, keys) as listener:
        await seed_brands(settings.database_url)
        await query(listener, LUMIERE, "lumiere")
        for name in ("down", "garbage", "page", "latin", "giant", "fine"):
            await feed_source(settings, name, feeds.url(f"/{name}.xml"))

        async def good_ones_and_errors_counted() -> bool:
            rows = await sources(settings.database_url)
            mentions = {m for m, _ in await captured(settings.database_url)}
            return (
                mentions == {"bad-utf8", "small", "fine"}
                and rows["down"].error_count >= 2
                and rows["garbage"].error_count >= 1
                and rows["page"].error_count >= 1
            )

        await eventually(good_ones_and_errors_counted)
        rows = await sources(settings.database_url)
        health = await listener.stub.GetSource(
            rpc.GetSourceRequest(name="tenants/t_acme/sources/down"), metadata=listener.admin()
        )
        giant = await listener.stub.GetSource(
            rpc.GetSourceRequest(name="tenants/t_acme/sources/giant"), metadata=listener.admin()
        )
    assert "HTTP 500" in rows["down"].last_error and "next poll in" in rows["down"].last_error
    assert health.health.state == pb.SOURCE_HEALTH_STATE_DEGRADED
    assert health.health.error_count == rows["down"].error_count >= 2
    assert (giant.health.captured_count, giant.health.skipped_count) == (1, 1)
    assert "not well-formed" in rows["garbage"].last_error
    assert "unreadable feed" in rows["page"].last_error
    assert rows["giant"].skipped_count == 1 and rows["giant"].captured_count == 1
    assert rows["latin"].error_count >= 1 and rows["latin"].captured_count == 1
    assert rows["fine"].error_count == 0


async def test_a_feed_that_stalls_or_is_oversized_is_unavailable_not_fatal(
    feeds: FeedServer,
) -> None:
    feeds.routes["/slow.xml"] = Route(rss_document(rss_item("a", "x")), stall_s=3)
    feeds.routes["/huge.xml"] = Route(b"<rss>" + b" " * 4096 + b"</rss>")
    fetcher = FeedFetcher(timeout_s=0.5, max_bytes=1024)
    try:
        with pytest.raises(FeedUnavailable, match="no complete answer"):
            await fetcher.fetch(feeds.url("/slow.xml"), Validators())
        with pytest.raises(FeedUnavailable, match="over 1024 bytes"):
            await fetcher.fetch(feeds.url("/huge.xml"), Validators())
        with pytest.raises(FeedUnavailable, match="HTTP 404"):
            await fetcher.fetch(feeds.url("/missing.xml"), Validators())
    finally:
        await fetcher.aclose()


async def test_a_feed_that_recovers_is_healthy_again(settings: Settings, feeds: FeedServer) -> None:
    keys = TestKeys(settings.platform.jwks_file)
    feeds.routes["/flaky.xml"] = Route(b"", status=503)
    async with running(settings, keys) as listener:
        await seed_brands(settings.database_url)
        name = await feed_source(settings, "flaky", feeds.url("/flaky.xml"))

        async def state(expected: int) -> bool:
            read = await listener.stub.GetSource(
                rpc.GetSourceRequest(name=name), metadata=listener.admin()
            )
            return read.health.state == expected  # type: ignore[no-any-return]

        await eventually(lambda: state(pb.SOURCE_HEALTH_STATE_DEGRADED))
        feeds.routes["/flaky.xml"] = Route(rss_document(rss_item("a", "rien")), etag='"v1"')
        await eventually(lambda: state(pb.SOURCE_HEALTH_STATE_HEALTHY))
    row = (await sources(settings.database_url))["flaky"]
    assert row.error_count >= 1 and row.last_error == ""


async def test_where_private_addresses_are_refused_a_feed_on_one_is_never_called(
    settings: Settings, feeds: FeedServer
) -> None:
    """A tenant's feed URL must not make the listener probe its own network (SSRF)."""
    refusing = settings.model_copy(
        update={"platform": settings.platform.model_copy(update={"allow_private_outbound": False})}
    )
    keys = TestKeys(refusing.platform.jwks_file)
    feeds.routes["/inside.xml"] = Route(rss_document(rss_item("a", "Lumière")))
    async with running(refusing, keys):
        await seed_brands(refusing.database_url)
        await feed_source(refusing, "inside", feeds.url("/inside.xml"))

        async def refused() -> bool:
            row = (await sources(refusing.database_url))["inside"]
            return "not a public address" in row.last_error

        await eventually(refused)
    assert feeds.requests == []
    assert (await sources(refusing.database_url))["inside"].captured_count == 0
