"""Publishing to a real Bluesky PDS on loopback: facets, exactly once, threads, replies."""

import re
import secrets
import struct
import zlib
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from vigie_publisher.adapters.adapter_pool import bluesky
from vigie_publisher.adapters.networks.bluesky import BlueskyAdapter
from vigie_publisher.adapters.networks.bluesky_xrpc import raise_for_response, record_key
from vigie_publisher.domain.publishing import (
    AuthFailed,
    MediaItem,
    NetworkAdapter,
    OutgoingPublication,
    PermanentFailure,
    PostPart,
    RateLimited,
    TransientFailure,
)
from vigie_runtime.free_ports import free_port
from vigie_runtime.testing.bluesky_fixture import bluesky_pds_fixture  # noqa: F401 - registers `bluesky_pds`
from vigie_runtime.testing.bluesky_pds import BlueskyPds

# The first run installs the PDS (minutes), inside the first test's time budget.
pytestmark = [pytest.mark.node, pytest.mark.timeout(1200)]
_TID = re.compile(r"^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$")


def _account(pds: BlueskyPds) -> tuple[str, str, str]:
    return pds.create_account(f"pub{secrets.token_hex(4)}")


def _publication(
    *texts: str, in_reply_to: str = "", language: str = "", media: tuple[MediaItem, ...] = ()
) -> OutgoingPublication:
    publication_id = f"pub-{secrets.token_hex(8)}"
    return OutgoingPublication(
        publication_id=publication_id,
        idempotency_key=f"{publication_id}:bluesky",
        scheduled_at=datetime(2025, 6, 1, 9, 30, tzinfo=UTC),
        parts=tuple(PostPart(text, media) for text in texts),
        language=language,
        in_reply_to=in_reply_to,
    )


def _adapter(pds: BlueskyPds, handle: str, password: str) -> BlueskyAdapter:
    # The image test gives a local file: only the adapter's own tests may.
    return BlueskyAdapter(pds.url, handle, password, allow_local_media=True)


def _count_posts(pds: BlueskyPds, did: str) -> int:
    listed = httpx.get(
        f"{pds.url}/xrpc/com.atproto.repo.listRecords",
        params={"repo": did, "collection": "app.bsky.feed.post", "limit": 100},
        timeout=10,
    )
    listed.raise_for_status()
    return len(listed.json()["records"])


def _one_pixel_png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def test_record_keys_are_tids_fixed_by_the_publication_and_ordered_in_a_thread() -> None:
    when = datetime(2025, 6, 1, 9, 30, tzinfo=UTC)
    keys = [record_key("pub-1", when, index) for index in range(3)]
    assert all(_TID.match(key) for key in keys)
    assert keys == [record_key("pub-1", when, index) for index in range(3)]
    assert keys == sorted(keys)
    assert record_key("pub-2", when, 0) != keys[0]


async def test_facets_keep_their_utf8_byte_offsets_after_emoji_and_accents(
    bluesky_pds: BlueskyPds,
) -> None:
    did, handle, password = _account(bluesky_pds)
    friend_did, friend_handle, _ = _account(bluesky_pds)
    link = "https://vigie.example/été?x=1"
    text = f"Café crème 🎉👩‍👩‍👧 déjà vu: {link} avec @{friend_handle} #veillé"
    expected = [link, f"@{friend_handle}", "#veillé"]
    raw = text.encode()
    assert raw.index(link.encode()) != text.index(link)  # bytes and characters really differ
    async with _adapter(bluesky_pds, handle, password) as bluesky:
        published = await bluesky.publish(_publication(text, language="fr"))
        found = await bluesky.get_post(published.external_id)
    assert found is not None
    record = found[1]
    assert record["langs"] == ["fr"]
    facets = sorted(record["facets"], key=lambda facet: facet["index"]["byteStart"])
    offsets = [(f["index"]["byteStart"], f["index"]["byteEnd"]) for f in facets]
    assert offsets == [
        (raw.index(s.encode()), raw.index(s.encode()) + len(s.encode())) for s in expected
    ]
    assert [f["features"][0] for f in facets] == [
        {"$type": "app.bsky.richtext.facet#link", "uri": link},
        {"$type": "app.bsky.richtext.facet#mention", "did": friend_did},
        {"$type": "app.bsky.richtext.facet#tag", "tag": "veillé"},
    ]
    assert published.external_id.startswith(f"at://{did}/app.bsky.feed.post/")
    assert published.url.startswith(f"https://bsky.app/profile/{handle}/post/")


async def test_publishing_the_same_publication_twice_creates_one_record(
    bluesky_pds: BlueskyPds,
) -> None:
    did, handle, password = _account(bluesky_pds)
    publication = _publication("Une seule fois, même si on réessaie.")
    async with _adapter(bluesky_pds, handle, password) as bluesky:
        adapter: NetworkAdapter = bluesky
        assert await adapter.lookup(publication) is None
        (first,) = await bluesky.publish_parts(publication)
        (second,) = await bluesky.publish_parts(publication)
        looked_up = await adapter.lookup(publication)
    assert not first.already_existed
    assert second.already_existed
    assert (second.uri, second.cid) == (first.uri, first.cid)
    assert looked_up is not None and looked_up.external_id == first.uri
    assert _count_posts(bluesky_pds, did) == 1


async def test_a_thread_of_three_chains_each_post_to_the_first_and_the_previous(
    bluesky_pds: BlueskyPds,
) -> None:
    _, handle, password = _account(bluesky_pds)
    async with _adapter(bluesky_pds, handle, password) as bluesky:
        posts = await bluesky.publish_parts(_publication("1/3 début", "2/3 milieu", "3/3 fin"))
        records = [await bluesky.get_post(post.uri) for post in posts]
    replies = [found[1].get("reply") for found in records if found is not None]
    root = {"uri": posts[0].uri, "cid": posts[0].cid}
    assert replies[0] is None
    assert replies[1] == {"root": root, "parent": root}
    assert replies[2] == {"root": root, "parent": {"uri": posts[1].uri, "cid": posts[1].cid}}


async def test_a_reply_to_a_reply_keeps_the_conversation_root(bluesky_pds: BlueskyPds) -> None:
    _, their_handle, their_password = _account(bluesky_pds)
    _, handle, password = _account(bluesky_pds)
    async with _adapter(bluesky_pds, their_handle, their_password) as them:
        (original,) = await them.publish_parts(_publication("Quelqu'un a testé ?"))
    async with _adapter(bluesky_pds, handle, password) as us:
        (reply,) = await us.publish_parts(_publication("Oui !", in_reply_to=original.uri))
        (again,) = await us.publish_parts(_publication("Et encore.", in_reply_to=reply.uri))
        first, second = await us.get_post(reply.uri), await us.get_post(again.uri)
    assert first is not None and second is not None
    original_ref = {"uri": original.uri, "cid": original.cid}
    assert first[1]["reply"] == {"root": original_ref, "parent": original_ref}
    assert second[1]["reply"] == {
        "root": original_ref,
        "parent": {"uri": reply.uri, "cid": reply.cid},
    }


async def test_an_image_is_uploaded_and_attached_with_its_alt_text(
    bluesky_pds: BlueskyPds, tmp_path: Path
) -> None:
    _, handle, password = _account(bluesky_pds)
    image = tmp_path / "pixel.png"
    image.write_bytes(_one_pixel_png())
    media = MediaItem(str(image), "image/png", image.stat().st_size, "Un pixel vert")
    async with _adapter(bluesky_pds, handle, password) as bluesky:
        published = await bluesky.publish(_publication("Photo", media=(media,)))
        found = await bluesky.get_post(published.external_id)
    assert found is not None
    embed = found[1]["embed"]
    assert embed["$type"] == "app.bsky.embed.images"
    assert embed["images"][0]["alt"] == "Un pixel vert"
    assert embed["images"][0]["image"]["mimeType"] == "image/png"


async def test_a_wrong_app_password_is_an_auth_failure(bluesky_pds: BlueskyPds) -> None:
    _, handle, _ = _account(bluesky_pds)
    with pytest.raises(AuthFailed):
        async with _adapter(bluesky_pds, handle, "not-the-password"):
            pass


async def test_a_post_the_lexicon_refuses_is_a_permanent_failure(bluesky_pds: BlueskyPds) -> None:
    did, handle, password = _account(bluesky_pds)
    async with _adapter(bluesky_pds, handle, password) as bluesky:
        with pytest.raises(PermanentFailure):
            await bluesky.publish(_publication("x" * 301))  # over 300 graphemes
    assert _count_posts(bluesky_pds, did) == 0


async def test_an_expired_access_token_is_refreshed_transparently(
    bluesky_pds: BlueskyPds,
) -> None:
    did, handle, password = _account(bluesky_pds)
    async with _adapter(bluesky_pds, handle, password) as bluesky:
        bluesky.session.forget_access_token()
        await bluesky.publish(_publication("Après renouvellement de session"))
    assert _count_posts(bluesky_pds, did) == 1


def _response(
    status: int, error: str = "", headers: dict[str, str] | None = None
) -> httpx.Response:
    body = {"error": error, "message": "from the test"}
    return httpx.Response(status, json=body, headers=headers or {})


@pytest.mark.parametrize(
    ("response", "expected"),
    [
        (_response(401, "AuthenticationRequired"), AuthFailed),
        (_response(400, "ExpiredToken"), AuthFailed),
        (_response(429, "RateLimitExceeded", {"ratelimit-reset": "1767225600"}), RateLimited),
        (_response(502, "UpstreamFailure"), TransientFailure),
        (_response(400, "InvalidRecord"), PermanentFailure),
    ],
)
def test_errors_are_classified_by_what_the_dispatcher_should_do(
    response: httpx.Response, expected: type[Exception]
) -> None:
    with pytest.raises(expected) as raised:
        raise_for_response(response)
    if isinstance(raised.value, RateLimited):
        assert raised.value.retry_after == datetime(2026, 1, 1, tzinfo=UTC)


async def test_a_server_that_does_not_answer_is_a_transient_failure() -> None:
    silent = f"http://127.0.0.1:{free_port()}"
    with pytest.raises(TransientFailure):
        async with BlueskyAdapter(silent, "nobody.test", "x", timeout_s=1.0):
            pass


async def test_a_pds_on_a_private_address_is_refused_for_good_by_the_production_factory() -> None:
    # Refused before any connection: the port need not be served.
    credentials = {
        "service_url": f"http://127.0.0.1:{free_port()}",
        "identifier": "nobody.test",
        "app_password": "x",
    }
    with pytest.raises(PermanentFailure, match="address refused"):
        async with bluesky(allow_private=False)(credentials):
            pass
