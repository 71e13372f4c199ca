"""What every network adapter is asked to do, and how it may fail.

The dispatcher (app layer) hands an adapter an `OutgoingPublication` and gets back the network's
ids, or one of the errors below, each of which tells the dispatcher what to do next:

- `AuthFailed`: the account's token is expired or revoked: mark the account disconnected, emit
  `account.disconnected`, never retry blindly.
- `RateLimited`: wait until `retry_after` (from the network's headers) and try again.
- `TransientFailure`: the network refused before doing anything (5xx before acceptance,
  connection refused): retry with backoff.
- `PermanentFailure`: the request itself is wrong (validation): fail the publication.
- `OutcomeUnknown`: the request may have reached the network (timeout after sending, connection
  lost mid-response): reconcile with `lookup` before anything else; never blindly retry.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol


class PublishError(Exception):
    """Base of the errors an adapter raises; `detail` is the network's own words."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class AuthFailed(PublishError):
    pass


class RateLimited(PublishError):
    def __init__(self, detail: str, retry_after: datetime | None) -> None:
        super().__init__(detail)
        self.retry_after = retry_after


class TransientFailure(PublishError):
    pass


class PermanentFailure(PublishError):
    pass


class OutcomeUnknown(PublishError):
    pass


@dataclass(frozen=True)
class MediaItem:
    url: str  # where the adapter can fetch the bytes (local file or HTTP URL)
    mime_type: str
    size_bytes: int
    alt_text: str = ""


@dataclass(frozen=True)
class PostPart:
    """One post of a thread (a single post is a thread of one)."""

    text: str
    media: Sequence[MediaItem] = ()


@dataclass(frozen=True)
class OutgoingPublication:
    publication_id: str
    # Stable across retries of this publication: the network's idempotency key, or the seed of
    # a deterministic record key.
    idempotency_key: str
    scheduled_at: datetime
    parts: Sequence[PostPart]
    language: str = ""
    first_comment: str = ""
    # The network's id (or URI) of the post this one replies to, if it is a reply.
    in_reply_to: str = ""


@dataclass(frozen=True)
class PublishedPost:
    external_id: str  # the network's id (or URI) of the first part
    url: str
    part_ids: Sequence[str] = field(default_factory=tuple)


@dataclass(frozen=True)
class AccountCredentials:
    """Decrypted only in memory, only for the call."""

    handle: str
    access_token: str
    refresh_token: str = ""
    instance_url: str = ""  # Mastodon's instance, or the network's API base for tests
    expires_at: datetime | None = None


class NetworkAdapter(Protocol):
    network: str

    async def publish(self, publication: OutgoingPublication) -> PublishedPost: ...

    async def lookup(self, publication: OutgoingPublication) -> PublishedPost | None:
        """The post if it already exists on the network (reconciliation after OutcomeUnknown)."""
        ...
