"""Decode `com.atproto.sync.subscribeRepos` frames into plain post (and repost) values.

Pure functions over bytes and SDK models (no I/O), so the firehose client stays about the
connection and these rules can be tested on recorded frames.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from atproto import CAR, firehose_models, models, parse_subscribe_repos_message

POST_COLLECTION = "app.bsky.feed.post"
REPOST_COLLECTION = "app.bsky.feed.repost"
_FACET_LINK = "app.bsky.richtext.facet#link"
_FACET_MENTION = "app.bsky.richtext.facet#mention"
_FACET_TAG = "app.bsky.richtext.facet#tag"


@dataclass(frozen=True)
class PostFacets:
    links: tuple[str, ...] = ()
    mentions: tuple[str, ...] = ()  # DIDs
    tags: tuple[str, ...] = ()  # without the '#'


@dataclass(frozen=True)
class FirehosePost:
    """A post created in some repository, as the firehose told it; or a repost, which has
    `repost_of` (the reposted post's at-uri) and no text, langs, facets or references."""

    uri: str
    cid: str
    author_did: str
    author_handle: str | None
    text: str
    langs: tuple[str, ...]
    created_at: datetime | None
    reply_parent_uri: str | None
    reply_root_uri: str | None
    quote_uri: str | None
    facets: PostFacets
    seq: int
    repost_of: str | None = None


@dataclass(frozen=True)
class FirehoseBatch:
    """The posts of one commit, and the cursor to store once they are handled.

    A commit can create several posts under one sequence number, so the cursor belongs to the
    batch: resuming from it replays nothing already handled and skips nothing.
    """

    cursor: int
    posts: tuple[FirehosePost, ...]


@dataclass
class FirehoseHealth:
    """Counters of what the source saw and skipped; bad input is counted, never raised."""

    frames: int = 0
    commits: int = 0
    posts: int = 0
    reposts: int = 0
    malformed_frames: int = 0
    malformed_records: int = 0
    reconnects: int = 0
    last_seq: int | None = None
    last_error: str | None = field(default=None)


@dataclass(frozen=True)
class DecodedFrame:
    """What the client needs from one frame: posts (without handles yet) or an identity change."""

    seq: int | None = None
    posts: tuple[FirehosePost, ...] = ()
    identity: tuple[str, str | None] | None = None  # (did, handle)


def decode_frame(frame: firehose_models.MessageFrame, health: FirehoseHealth) -> DecodedFrame:
    """Decode one frame, counting what cannot be read instead of raising."""
    health.frames += 1
    try:
        message = parse_subscribe_repos_message(frame)
    except Exception as exc:  # any malformed frame is skipped and counted
        health.malformed_frames += 1
        health.last_error = f"frame: {exc!r}"
        return DecodedFrame()
    seq = getattr(message, "seq", None)
    if isinstance(message, models.ComAtprotoSyncSubscribeRepos.Identity):
        return DecodedFrame(seq=seq, identity=(message.did, message.handle))
    if not isinstance(message, models.ComAtprotoSyncSubscribeRepos.Commit):
        return DecodedFrame(seq=seq)
    health.commits += 1
    return DecodedFrame(seq=seq, posts=_posts_of(message, health))


def _collection(path: str) -> str:
    return path.split("/", 1)[0]


def _posts_of(
    commit: models.ComAtprotoSyncSubscribeRepos.Commit, health: FirehoseHealth
) -> tuple[FirehosePost, ...]:
    wanted = (POST_COLLECTION, REPOST_COLLECTION)
    creates = [
        op
        for op in commit.ops
        if op.action == "create" and _collection(op.path) in wanted and op.cid
    ]
    if not creates:
        return ()
    try:
        blocks = CAR.from_bytes(commit.blocks).blocks
    except Exception as exc:  # a broken CAR loses this commit's posts only
        health.malformed_records += len(creates)
        health.last_error = f"car: {exc!r}"
        return ()
    posts = []
    for op in creates:
        uri = f"at://{commit.repo}/{op.path}"
        try:
            if _collection(op.path) == REPOST_COLLECTION:
                repost = models.AppBskyFeedRepost.Record.model_validate(blocks[op.cid])
                posts.append(_repost(uri, str(op.cid), commit.repo, repost, commit.seq))
                health.reposts += 1
                continue
            record = models.AppBskyFeedPost.Record.model_validate(blocks[op.cid])
            posts.append(_post(uri, str(op.cid), commit.repo, record, commit.seq))
            health.posts += 1
        except Exception as exc:  # an invalid record is skipped and counted
            health.malformed_records += 1
            health.last_error = f"record {op.path}: {exc!r}"
    return tuple(posts)


def _repost(
    uri: str, cid: str, author: str, record: models.AppBskyFeedRepost.Record, seq: int
) -> FirehosePost:
    return FirehosePost(
        uri=uri,
        cid=cid,
        author_did=author,
        author_handle=None,
        text="",
        langs=(),
        created_at=_parse_time(record.created_at),
        reply_parent_uri=None,
        reply_root_uri=None,
        quote_uri=None,
        facets=PostFacets(),
        seq=seq,
        repost_of=str(record.subject.uri),
    )


def _post(
    uri: str, cid: str, author: str, record: models.AppBskyFeedPost.Record, seq: int
) -> FirehosePost:
    reply = record.reply
    return FirehosePost(
        uri=uri,
        cid=cid,
        author_did=author,
        author_handle=None,
        text=record.text,
        langs=tuple(record.langs or ()),
        created_at=_parse_time(record.created_at),
        reply_parent_uri=reply.parent.uri if reply else None,
        reply_root_uri=reply.root.uri if reply else None,
        quote_uri=_quote_uri(record.embed),
        facets=_facets(record.facets or []),
        seq=seq,
    )


def _parse_time(value: str) -> datetime | None:
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None  # the text still matters more than a badly written timestamp


def _quote_uri(embed: Any) -> str | None:
    if isinstance(embed, models.AppBskyEmbedRecord.Main):
        return str(embed.record.uri)
    if isinstance(embed, models.AppBskyEmbedRecordWithMedia.Main):
        return str(embed.record.record.uri)
    return None


def _facets(facets: list[models.AppBskyRichtextFacet.Main]) -> PostFacets:
    links, mentions, tags = [], [], []
    for facet in facets:
        for feature in facet.features:
            kind = getattr(feature, "py_type", None)
            if kind == _FACET_LINK:
                links.append(str(feature.uri))
            elif kind == _FACET_MENTION:
                mentions.append(str(feature.did))
            elif kind == _FACET_TAG:
                tags.append(str(feature.tag))
    return PostFacets(tuple(links), tuple(mentions), tuple(tags))
