"""Publishing to a real Bluesky PDS on loopback: facets, exactly once, threads, replies."""

import re
import secrets
import struct
import zlib
from datetime import UTC, datetime

import httpx
import pytest
from vigie_publisher.adapters.networks.bluesky import (
    BlueskyAuthError,
    BlueskyDraft,
    BlueskyImage,
    BlueskyPermanentError,
    BlueskyPublication,
    BlueskyPublisher,
    FacetSpan,
    record_key,
)
from vigie_runtime.testing.bluesky_fixture import bluesky_pds_fixture  # noqa: F401 - registers `bluesky_pds`
from vigie_runtime.testing.bluesky_pds import BlueskyPds

# The first run installs the PDS (minutes), inside the first test's time budget.
pytestmark = [pytest.mark.node, pytest.mark.timeout(1200)]
_TID = re.compile(r"^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$")


def _account(pds: BlueskyPds) -> tuple[str, str, str]:
    return pds.create_account(f"pub{secrets.token_hex(4)}")


def _publication(*texts: str, reply_to_uri: str | None = None) -> BlueskyPublication:
    return BlueskyPublication(
        publication_id=f"pub-{secrets.token_hex(8)}",
        scheduled_at=datetime(2025, 6, 1, 9, 30, tzinfo=UTC),
        posts=tuple(BlueskyDraft(text) for text in texts),
        reply_to_uri=reply_to_uri,
    )


def _span(text: str, part: str, kind: str, value: str) -> FacetSpan:
    """The facet over `part`, located in UTF-8 bytes independently of the adapter."""
    start = text.encode().index(part.encode())
    return FacetSpan(start, start + len(part.encode()), kind, value)  # type: ignore[arg-type]


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
    spans = (
        _span(text, link, "link", link),
        _span(text, f"@{friend_handle}", "mention", friend_handle),
        _span(text, "#veillé", "tag", "veillé"),
    )
    assert spans[0].byte_start != text.index(link)  # bytes and characters really differ here
    draft = BlueskyDraft(text, langs=("fr",), facets=spans)
    publication = BlueskyPublication(f"pub-{secrets.token_hex(8)}", datetime.now(UTC), (draft,))
    async with BlueskyPublisher(bluesky_pds.url, handle, password) as publisher:
        (post,) = await publisher.publish(publication)
        found = await publisher.get_post(post.uri)
    assert found is not None
    record = found[1]
    assert record["langs"] == ["fr"]
    facets = sorted(record["facets"], key=lambda facet: facet["index"]["byteStart"])
    raw = text.encode()
    assert [raw[f["index"]["byteStart"] : f["index"]["byteEnd"]].decode() for f in facets] == [
        link,
        f"@{friend_handle}",
        "#veillé",
    ]
    assert [f["features"][0] for f in facets] == [
        {"$type": "app.bsky.richtext.facet#link", "uri": link},
        {"$type": "app.bsky.richtext.facet#mention", "did": friend_did},
        {"$type": "app.bsky.richtext.facet#tag", "tag": "veillé"},
    ]
    assert post.uri == f"at://{did}/app.bsky.feed.post/{post.rkey}"


async def test_publishing_the_same_publication_twice_creates_one_record(
    bluesky_pds: BlueskyPds,
) -> None:
    did, handle, password = _account(bluesky_pds)
    publication = _publication("Une seule fois, même si on réessaie.")
    async with BlueskyPublisher(bluesky_pds.url, handle, password) as publisher:
        assert await publisher.lookup(publication) == (None,)
        (first,) = await publisher.publish(publication)
        (second,) = await publisher.publish(publication)
        (looked_up,) = await publisher.lookup(publication)
    assert not first.already_existed
    assert second.already_existed
    assert (second.uri, second.cid) == (first.uri, first.cid)
    assert looked_up is not None and looked_up.uri == first.uri
    assert _count_posts(bluesky_pds, did) == 1


async def test_a_thread_of_three_chains_each_post_to_the_first_and_the_previous(
    bluesky_pds: BlueskyPds,
) -> None:
    _, handle, password = _account(bluesky_pds)
    async with BlueskyPublisher(bluesky_pds.url, handle, password) as publisher:
        posts = await publisher.publish(_publication("1/3 début", "2/3 milieu", "3/3 fin"))
        records = [await publisher.get_post(post.uri) for post in posts]
    replies = [found[1].get("reply") for found in records if found is not None]
    root = {"uri": posts[0].uri, "cid": posts[0].cid}
    assert replies[0] is None
    assert replies[1] == {"root": root, "parent": root}
    assert replies[2] == {"root": root, "parent": {"uri": posts[1].uri, "cid": posts[1].cid}}


async def test_a_reply_to_a_reply_keeps_the_conversation_root(bluesky_pds: BlueskyPds) -> None:
    _, their_handle, their_password = _account(bluesky_pds)
    _, handle, password = _account(bluesky_pds)
    async with BlueskyPublisher(bluesky_pds.url, their_handle, their_password) as them:
        (original,) = await them.publish(_publication("Quelqu'un a testé ?"))
    async with BlueskyPublisher(bluesky_pds.url, handle, password) as us:
        (reply,) = await us.publish(_publication("Oui !", reply_to_uri=original.uri))
        (again,) = await us.publish(_publication("Et encore.", reply_to_uri=reply.uri))
        first, second = await us.get_post(reply.uri), await us.get_post(again.uri)
    assert first is not None and second is not None
    original_ref = {"uri": original.uri, "cid": original.cid}
    assert first[1]["reply"] == {"root": original_ref, "parent": original_ref}
    assert second[1]["reply"] == {
        "root": original_ref,
        "parent": {"uri": reply.uri, "cid": reply.cid},
    }


async def test_an_image_is_uploaded_and_attached_with_its_alt_text(bluesky_pds: BlueskyPds) -> None:
    _, handle, password = _account(bluesky_pds)
    image = BlueskyImage(_one_pixel_png(), "image/png", "Un pixel vert")
    publication = BlueskyPublication(
        f"pub-{secrets.token_hex(8)}", datetime.now(UTC), (BlueskyDraft("Photo", images=(image,)),)
    )
    async with BlueskyPublisher(bluesky_pds.url, handle, password) as publisher:
        (post,) = await publisher.publish(publication)
        found = await publisher.get_post(post.uri)
    assert found is not None
    embed = found[1]["embed"]
    assert embed["$type"] == "app.bsky.embed.images"
    assert embed["images"][0]["alt"] == "Un pixel vert"
    assert embed["images"][0]["image"]["mimeType"] == "image/png"


async def test_a_wrong_app_password_is_an_auth_error(bluesky_pds: BlueskyPds) -> None:
    _, handle, _ = _account(bluesky_pds)
    with pytest.raises(BlueskyAuthError):
        async with BlueskyPublisher(bluesky_pds.url, handle, "not-the-password"):
            pass


async def test_a_post_the_lexicon_refuses_is_a_permanent_error(bluesky_pds: BlueskyPds) -> None:
    did, handle, password = _account(bluesky_pds)
    async with BlueskyPublisher(bluesky_pds.url, handle, password) as publisher:
        with pytest.raises(BlueskyPermanentError):
            await publisher.publish(_publication("x" * 301))  # over 300 graphemes
    assert _count_posts(bluesky_pds, did) == 0


async def test_an_expired_access_token_is_refreshed_transparently(
    bluesky_pds: BlueskyPds,
) -> None:
    did, handle, password = _account(bluesky_pds)
    async with BlueskyPublisher(bluesky_pds.url, handle, password) as publisher:
        publisher._session["accessJwt"] = "expired.or.forged"  # what an expired token looks like
        await publisher.publish(_publication("Après renouvellement de session"))
    assert _count_posts(bluesky_pds, did) == 1
