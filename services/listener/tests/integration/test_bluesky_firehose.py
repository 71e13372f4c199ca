"""Reading posts from a real Bluesky PDS's firehose, and resuming from a stored cursor."""

import asyncio
import secrets
import time
from collections.abc import Callable

import pytest
from atproto import Client, client_utils, firehose_models, models
from vigie_listener.adapters.bluesky_firehose import (
    BlueskyFirehose,
    FirehoseHealth,
    FirehosePost,
    HandleCache,
)
from vigie_listener.adapters.bluesky_records import decode_frame
from vigie_runtime.free_ports import free_port
from vigie_runtime.testing.bluesky_fixture import bluesky_pds_fixture  # noqa: F401 - registers `bluesky_pds`
from vigie_runtime.testing.bluesky_pds import BlueskyPds

# The first run installs the PDS (minutes), inside the first test's time budget.
pytestmark = [pytest.mark.node, pytest.mark.timeout(1200)]
# The PDS hands events over 0.3 to 0.9 s after a post; this bounds the wait, it asserts no timing.
_DELIVERY_DEADLINE_S = 15.0


def _client(pds: BlueskyPds) -> tuple[Client, str, str]:
    did, handle, password = pds.create_account(f"lis{secrets.token_hex(4)}")
    client = Client(base_url=pds.url)
    client.login(handle, password, fetch_bsky_profile=False)
    return client, did, handle


async def _collect(
    firehose: BlueskyFirehose,
    keep: Callable[[FirehosePost], bool],
    until: Callable[[list[FirehosePost]], bool],
) -> tuple[list[FirehosePost], int | None]:
    """Posts passing `keep` until `until(posts)` holds; and the cursor of the last batch handled."""
    seen: list[FirehosePost] = []
    cursor = None
    deadline = time.monotonic() + _DELIVERY_DEADLINE_S
    while not until(seen):
        remaining = deadline - time.monotonic()
        assert remaining > 0, f"firehose delivered only {len(seen)} posts in time"
        batch = await asyncio.wait_for(anext(firehose), timeout=remaining)
        seen += [post for post in batch.posts if keep(post)]
        cursor = batch.cursor
    return seen, cursor


async def test_posts_arrive_with_text_langs_facets_reply_refs_and_handle(
    bluesky_pds: BlueskyPds,
) -> None:
    alice, alice_did, alice_handle = _client(bluesky_pds)
    bob, bob_did, _ = _client(bluesky_pds)
    text = (
        client_utils.TextBuilder()
        .text("Déjà 🎉 lu ")
        .link("ce lien", "https://vigie.example/a")
        .text(" par ")
        .mention("@bob", bob_did)
        .text(" ")
        .tag("#veille", "veille")
    )
    first = await asyncio.to_thread(
        alice.send_post, text, profile_identify=alice_did, langs=["fr", "en"]
    )
    ref = models.create_strong_ref(first)
    reply_ref = models.AppBskyFeedPost.ReplyRef(parent=ref, root=ref)
    reply = await asyncio.to_thread(
        bob.send_post, "Merci !", profile_identify=bob_did, reply_to=reply_ref
    )
    wanted = {first.uri, reply.uri}
    handles = HandleCache(f"{bluesky_pds.url}/xrpc")
    async with BlueskyFirehose(bluesky_pds.firehose_url, cursor=0, handles=handles) as firehose:
        seen, _ = await _collect(
            firehose, lambda post: post.uri in wanted, lambda seen: len(seen) == 2
        )
    await handles.aclose()
    by_uri = {post.uri: post for post in seen}
    original, answer = by_uri[first.uri], by_uri[reply.uri]
    assert original.text == "Déjà 🎉 lu ce lien par @bob #veille"
    assert (original.author_did, original.author_handle) == (alice_did, alice_handle)
    assert original.langs == ("fr", "en")
    assert original.facets.links == ("https://vigie.example/a",)
    assert original.facets.mentions == (bob_did,)
    assert original.facets.tags == ("veille",)
    assert original.cid == first.cid
    assert (answer.reply_parent_uri, answer.reply_root_uri) == (first.uri, first.uri)
    assert original.reply_parent_uri is None and answer.quote_uri is None


async def test_resuming_from_the_stored_cursor_delivers_every_post_exactly_once(
    bluesky_pds: BlueskyPds,
) -> None:
    author, did, _ = _client(bluesky_pds)

    async def post(text: str) -> str:
        sent = await asyncio.to_thread(author.send_post, text, profile_identify=did)
        return str(sent.uri)

    before = [await post(f"avant {n}") for n in range(3)]
    mine: Callable[[FirehosePost], bool] = lambda post: post.author_did == did  # noqa: E731
    async with BlueskyFirehose(bluesky_pds.firehose_url, cursor=0) as firehose:
        first_run, stored = await _collect(firehose, mine, lambda seen: len(seen) >= 2)
    assert stored is not None
    after = [await post(f"après {n}") for n in range(2)]
    async with BlueskyFirehose(bluesky_pds.firehose_url, cursor=stored) as firehose:
        second_run, _ = await _collect(
            firehose, mine, lambda seen: after[-1] in {post.uri for post in seen}
        )
    assert [post.uri for post in first_run + second_run] == before + after


async def test_a_malformed_frame_is_counted_and_skipped() -> None:
    health = FirehoseHealth()
    garbage = firehose_models.MessageFrame(
        header=firehose_models.MessageFrameHeader(t="#commit"), body={"seq": "not a number"}
    )
    decoded = decode_frame(garbage, health)
    assert decoded.posts == ()
    assert (health.frames, health.malformed_frames) == (1, 1)


async def test_a_lost_server_is_retried_with_backoff_without_raising() -> None:
    nobody = f"ws://127.0.0.1:{free_port()}/xrpc"
    async with BlueskyFirehose(nobody, cursor=5, backoff_s=(0.01, 0.05)) as firehose:
        deadline = time.monotonic() + _DELIVERY_DEADLINE_S
        while firehose.health.reconnects < 3:
            assert time.monotonic() < deadline, "no reconnection attempt"
            await asyncio.sleep(0.02)
    assert firehose.cursor == 5  # it would resume where it was


async def test_a_record_that_is_not_a_valid_post_is_counted_and_the_stream_goes_on(
    bluesky_pds: BlueskyPds,
) -> None:
    author, did, _ = _client(bluesky_pds)
    bad = models.ComAtprotoRepoCreateRecord.Data(
        repo=did,
        collection="app.bsky.feed.post",
        record={"$type": "app.bsky.feed.post", "text": 42, "createdAt": "hier"},
        validate=False,  # the PDS stores it as is: only a reader can refuse it
    )
    await asyncio.to_thread(author.com.atproto.repo.create_record, bad)
    good = await asyncio.to_thread(author.send_post, "Valide", profile_identify=did)
    async with BlueskyFirehose(bluesky_pds.firehose_url, cursor=0) as firehose:
        seen, _ = await _collect(
            firehose,
            lambda post: post.author_did == did,
            lambda seen: any(post.uri == good.uri for post in seen),
        )
        malformed = firehose.health.malformed_records
    assert [post.text for post in seen] == ["Valide"]
    assert malformed >= 1
