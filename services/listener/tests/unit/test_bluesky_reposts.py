"""Decoding `app.bsky.feed.repost` creates from firehose commits: a repost becomes an item
counted as engagement on what it reposts, with no text and no author lookup."""

import base64
import hashlib

import libipld
from atproto import firehose_models
from vigie_listener.adapters.bluesky_items import as_item
from vigie_listener.adapters.bluesky_records import FirehoseHealth, decode_frame
from vigie_listener.domain.items import clean

from ..integration.test_bluesky_firehose_frames import _varint

REPO = "did:plc:fan"
SUBJECT = "at://did:plc:lumiere/app.bsky.feed.post/3ourpost"


def _commit(seq: int, records: dict[str, dict[str, object]]) -> firehose_models.MessageFrame:
    """A `#commit` frame creating each record at its path, in a CAR as a PDS sends it."""
    car, ops, root = b"", [], ""
    for path, record in records.items():
        block = libipld.encode_dag_cbor(record)
        raw_cid = bytes([1, 0x71, 0x12, 0x20]) + hashlib.sha256(block).digest()
        cid = root = "b" + base64.b32encode(raw_cid).decode().lower().rstrip("=")
        car += _varint(len(raw_cid) + len(block)) + raw_cid + block
        ops.append({"action": "create", "path": path, "cid": cid})
    header = libipld.encode_dag_cbor({"version": 1, "roots": [root]})
    body = {
        "seq": seq, "rebase": False, "tooBig": False, "repo": REPO, "commit": root,
        "rev": f"3k{seq}", "since": None, "blocks": _varint(len(header)) + header + car,
        "ops": ops, "blobs": [], "time": "2026-03-01T12:00:00Z",
    }  # fmt: skip
    raw = libipld.encode_dag_cbor({"op": 1, "t": "#commit"}) + libipld.encode_dag_cbor(body)
    frame = firehose_models.Frame.from_bytes(raw)
    assert isinstance(frame, firehose_models.MessageFrame)
    return frame


def _repost(subject: dict[str, object]) -> dict[str, object]:
    return {
        "$type": "app.bsky.feed.repost",
        "subject": subject,
        "createdAt": "2026-03-01T12:00:00Z",
    }


STRONG_REF = {"uri": SUBJECT, "cid": "bafyreib2rxk3rh6kzwq"}


def test_a_repost_is_decoded_with_the_uri_it_reposts_and_no_text() -> None:
    health = FirehoseHealth()
    frame = _commit(7, {
        "app.bsky.feed.repost/3krepost": _repost(STRONG_REF),
        "app.bsky.feed.post/3kpost": {
            "$type": "app.bsky.feed.post", "text": "Lumière", "createdAt": "2026-03-01T12:00:00Z",
        },
    })  # fmt: skip
    decoded = decode_frame(frame, health)
    repost, post = decoded.posts
    assert repost.uri == f"at://{REPO}/app.bsky.feed.repost/3krepost"
    assert (repost.repost_of, repost.text, repost.author_did) == (SUBJECT, "", REPO)
    assert post.repost_of is None and post.text == "Lumière"
    assert (health.posts, health.reposts, health.malformed_records) == (1, 1, 0)


def test_a_repost_becomes_an_engagement_only_item_that_cleaning_keeps() -> None:
    (repost,) = decode_frame(
        _commit(8, {"app.bsky.feed.repost/3kr": _repost(STRONG_REF)}), FirehoseHealth()
    ).posts
    item = clean(as_item(repost), 1000)
    assert item.external_id == repost.uri and item.repost_of == (SUBJECT, "")
    assert (item.text, item.url, item.reply_to, item.quote_of) == ("", "", None, None)


def test_a_repost_without_a_valid_subject_is_counted_as_malformed() -> None:
    health = FirehoseHealth()
    frame = _commit(9, {"app.bsky.feed.repost/3kbad": _repost({"uri": SUBJECT})})  # no cid
    assert decode_frame(frame, health).posts == ()
    assert (health.reposts, health.malformed_records) == (0, 1)


def test_likes_and_follows_are_not_items() -> None:
    health = FirehoseHealth()
    like = {
        "$type": "app.bsky.feed.like",
        "subject": STRONG_REF,
        "createdAt": "2026-03-01T12:00:00Z",
    }
    assert decode_frame(_commit(10, {"app.bsky.feed.like/3kl": like}), health).posts == ()
    assert (health.posts, health.reposts, health.malformed_records) == (0, 0, 0)
