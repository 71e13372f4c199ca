"""Malformed firehose frames (bad CBOR, a text frame, an unknown type, an oversized frame, a
commit whose blocks are not a CAR) from a local relay: each is skipped and counted in the
source's health, the connection stays up, and the next good post is still captured."""

import asyncio
import base64
import hashlib
from collections.abc import AsyncIterator

import libipld
import pytest
from vigie.listener.v1 import resources_pb2 as pb
from vigie_listener.adapters.bluesky_firehose import BlueskyFirehose
from vigie_listener.config import Settings
from vigie_listener.testing import LUMIERE, captured, query, running, seed_brands, seed_source
from vigie_runtime.testing.tokens import TestKeys
from vigie_runtime.testing.waiting import eventually
from websockets.asyncio.server import ServerConnection, serve

from .test_feed_source import sources

MAX_FRAME = 64 * 1024
REPO = "did:plc:lumierefan"


def _varint(number: int) -> bytes:
    out = bytearray()
    while True:
        byte, number = number & 0x7F, number >> 7
        out.append(byte | (0x80 if number else 0))
        if not number:
            return bytes(out)


def _frame(kind: str, body: dict[str, object]) -> bytes:
    return libipld.encode_dag_cbor({"op": 1, "t": kind}) + libipld.encode_dag_cbor(body)


def commit(seq: int, text: str, *, blocks: bytes | None = None) -> bytes:
    """A `#commit` frame creating one post, its record in a CAR as a PDS sends it."""
    record = libipld.encode_dag_cbor(
        {"$type": "app.bsky.feed.post", "text": text, "createdAt": "2026-03-01T12:00:00Z"}
    )
    raw_cid = bytes([1, 0x71, 0x12, 0x20]) + hashlib.sha256(record).digest()
    cid = "b" + base64.b32encode(raw_cid).decode().lower().rstrip("=")
    header = libipld.encode_dag_cbor({"version": 1, "roots": [cid]})
    car = _varint(len(header)) + header + _varint(len(raw_cid) + len(record)) + raw_cid + record
    path = f"app.bsky.feed.post/3k{seq:08d}"
    return _frame(
        "#commit",
        {
            "seq": seq, "rebase": False, "tooBig": False, "repo": REPO, "commit": cid,
            "rev": f"3k{seq}", "since": None, "blocks": car if blocks is None else blocks,
            "ops": [{"action": "create", "path": path, "cid": cid}], "blobs": [],
            "time": "2026-03-01T12:00:00Z",
        },
    )  # fmt: skip


BAD_FRAMES: list[bytes | str] = [
    b"\xff\xfe not CBOR at all",
    "a text frame",
    _frame("#weird", {"seq": 2}),
    _frame("#identity", {"seq": 3, "did": REPO, "handle": "x" * 10, "pad": b"0" * MAX_FRAME}),
    commit(4, "Lumière perdue", blocks=b"not a CAR"),
]


@pytest.fixture
async def relay() -> AsyncIterator[tuple[str, list[str]]]:
    """A relay that sends the bad frames, then a good post, then waits; and its paths asked."""
    asked: list[str] = []

    async def handler(connection: ServerConnection) -> None:
        asked.append(connection.request.path if connection.request else "")
        for frame in [*BAD_FRAMES, commit(5, "Lumière, enfin")]:
            await connection.send(frame)
        await connection.wait_closed()

    async with serve(handler, "127.0.0.1", 0, max_size=None) as server:
        port = next(iter(server.sockets)).getsockname()[1]
        yield f"ws://127.0.0.1:{port}/xrpc", asked


async def test_bad_frames_are_skipped_and_counted_without_dropping_the_connection(
    relay: tuple[str, list[str]],
) -> None:
    url, asked = relay
    async with BlueskyFirehose(url, max_frame_bytes=MAX_FRAME) as firehose:
        batch = await asyncio.wait_for(anext(firehose), 15)
        health = firehose.health
    assert [post.text for post in batch.posts] == ["Lumière, enfin"] and batch.cursor == 5
    assert health.malformed_frames == 4 and health.malformed_records == 1
    assert health.reconnects == 0 and len(asked) == 1


async def test_the_connector_counts_bad_frames_in_the_source_health_and_captures_the_good_post(
    settings: Settings, relay: tuple[str, list[str]]
) -> None:
    url, _ = relay
    keys = TestKeys(settings.platform.jwks_file)
    async with running(settings, keys) as listener:
        await seed_brands(settings.database_url)
        await query(listener, LUMIERE, "lumiere")
        config: dict[str, object] = {"relay_url": url}
        await seed_source(settings.database_url, "relay", pb.SOURCE_KIND_BLUESKY, config)

        async def the_good_post() -> bool:
            return bool(await captured(settings.database_url))

        await eventually(the_good_post)
    row = (await sources(settings.database_url))["relay"]
    assert await captured(settings.database_url) == [
        (f"at://{REPO}/app.bsky.feed.post/3k00000005", "lumiere")
    ]
    assert row.cursor == "5" and row.skipped_count == len(BAD_FRAMES)
