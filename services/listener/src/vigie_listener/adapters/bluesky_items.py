"""Firehose posts (and reposts) as the capture pipeline's items."""

from datetime import UTC, datetime

from vigie_listener.adapters.bluesky_records import FirehosePost
from vigie_listener.domain.items import Author, SourceItem


def post_url(post: FirehosePost) -> str:
    rkey = post.uri.rsplit("/", 1)[-1]
    return f"https://bsky.app/profile/{post.author_handle or post.author_did}/post/{rkey}"


def as_item(post: FirehosePost) -> SourceItem:
    if post.repost_of is not None:
        return _repost_item(post)
    handle = f"@{post.author_handle}" if post.author_handle else post.author_did
    return SourceItem(
        external_id=post.uri,
        text=post.text,
        published_at=post.created_at or datetime.now(UTC),
        url=post_url(post),
        language=post.langs[0] if post.langs else "",
        author=Author(handle=handle, external_id=post.author_did),
        reply_to=(post.reply_parent_uri, "") if post.reply_parent_uri else None,
        quote_of=(post.quote_uri, "") if post.quote_uri else None,
    )


def _repost_item(repost: FirehosePost) -> SourceItem:
    """A repost has no page of its own and no text: only its id (counted once) and what it
    reposts matter."""
    return SourceItem(
        external_id=repost.uri,
        text="",
        published_at=repost.created_at or datetime.now(UTC),
        author=Author(handle=repost.author_did, external_id=repost.author_did),
        repost_of=(str(repost.repost_of), ""),
    )
