"""What a network says about an account at one moment, and which of its posts a snapshot keeps."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol

# A snapshot carries the posts of the last 30 days, at most 100, newest first: enough for the
# measures (cadence, engagement, best times) without reading an account's whole history.
RECENT_WINDOW = timedelta(days=30)
RECENT_LIMIT = 100
TEXT_LIMIT = 280


@dataclass(frozen=True)
class PostStats:
    uri: str
    created_at: datetime
    url: str = ""
    likes: int = 0
    reposts: int = 0
    replies: int = 0
    quotes: int = 0
    # -1 when the network does not say (public reads never do).
    impressions: int = -1
    reply_to: str = ""
    text: str = ""


@dataclass(frozen=True)
class AccountStats:
    followers: int
    following: int
    posts: int
    recent: tuple[PostStats, ...] = field(default_factory=tuple)


def recent_posts(posts: Iterable[PostStats], now: datetime) -> tuple[PostStats, ...]:
    """The posts of the window, newest first, at most RECENT_LIMIT, texts cut for top lists."""
    since = now - RECENT_WINDOW
    kept = sorted((p for p in posts if since <= p.created_at <= now), key=lambda p: p.created_at)
    newest = list(reversed(kept))[:RECENT_LIMIT]
    return tuple(_short(p) for p in newest)


def _short(post: PostStats) -> PostStats:
    if len(post.text) <= TEXT_LIMIT:
        return post
    return PostStats(
        post.uri, post.created_at, post.url, post.likes, post.reposts, post.replies,
        post.quotes, post.impressions, post.reply_to, post.text[:TEXT_LIMIT],
    )  # fmt: skip


@dataclass(frozen=True)
class AccountToRead:
    """An account as a statistics reader needs it: owned ones bring their opened credentials."""

    network: str
    handle: str
    instance_url: str = ""
    credentials: dict[str, str] | None = None

    @property
    def owned(self) -> bool:
        return self.credentials is not None


class StatsNotRead(Exception):
    """The account's statistics could not be read, for a reason worth showing to people."""


class StatsReader(Protocol):
    async def read(self, account: AccountToRead, now: datetime) -> AccountStats:
        """The account's counts and its recent posts (`recent_posts`), or StatsNotRead /
        a `PublishError` of the network call that failed."""
        ...
