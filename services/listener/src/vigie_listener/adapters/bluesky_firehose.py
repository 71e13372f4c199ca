"""Read new posts from a PDS's or relay's `com.atproto.sync.subscribeRepos` firehose.

Usage::

    async with BlueskyFirehose("ws://127.0.0.1:2583/xrpc", cursor=stored) as firehose:
        async for batch in firehose:
            handle(batch.posts)
            stored = batch.cursor  # persist with the handled posts

Batches are handed over one at a time (the socket waits while the caller works), and every
reconnection resumes from the last sequence number received, so nothing is skipped or repeated.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections import OrderedDict
from types import TracebackType
from typing import Any

import httpx
from atproto import AsyncFirehoseSubscribeReposClient, firehose_models
from atproto.exceptions import FrameDecodingError, SubscriptionError

from vigie_listener.adapters.bluesky_records import (
    FirehoseBatch,
    FirehoseHealth,
    FirehosePost,
    PostFacets,
    decode_frame,
)

# The largest frame the protocol sends (the SDK's own limit); a bigger one is skipped and
# counted. The socket accepts up to `_SOCKET_SLACK` times more, so that skipping is possible:
# a frame the socket itself refused would close the connection, and the reconnection from the
# same cursor would meet the same frame again.
MAX_FRAME_BYTES = 5 * 1024 * 1024
_SOCKET_SLACK = 4

__all__ = [
    "BlueskyFirehose",
    "FirehoseBatch",
    "FirehoseHealth",
    "FirehosePost",
    "HandleCache",
    "PostFacets",
]


class HandleCache:
    """DID -> handle, from `identity` events or `com.atproto.repo.describeRepo`, kept in an LRU."""

    def __init__(self, xrpc_url: str, *, timeout_s: float = 5.0, max_entries: int = 10_000) -> None:
        self._http = httpx.AsyncClient(base_url=xrpc_url.rstrip("/"), timeout=timeout_s)
        self._handles: OrderedDict[str, str] = OrderedDict()
        self._max_entries = max_entries

    def remember(self, did: str, handle: str | None) -> None:
        self._handles.pop(did, None)
        if handle:  # an identity event without a handle means: look it up again
            self._handles[did] = handle
            while len(self._handles) > self._max_entries:
                self._handles.popitem(last=False)

    async def handle_of(self, did: str) -> str | None:
        """The cached handle, else the repository's own; None when it cannot be had in time."""
        if (handle := self._handles.get(did)) is not None:
            self._handles.move_to_end(did)
            return handle
        try:
            response = await self._http.get("/com.atproto.repo.describeRepo", params={"repo": did})
            response.raise_for_status()
            found = str(response.json()["handle"])
        except (httpx.HTTPError, KeyError, ValueError):
            return None  # a post without its author's handle beats a stalled stream
        self.remember(did, found)
        return found

    async def aclose(self) -> None:
        await self._http.aclose()


class BlueskyFirehose:
    """An async iterator of `FirehoseBatch`, from `cursor` on (None: from now on)."""

    def __init__(
        self,
        firehose_uri: str,
        *,
        cursor: int | None = None,
        handles: HandleCache | None = None,
        health: FirehoseHealth | None = None,
        recv_timeout_s: float = 30.0,
        backoff_s: tuple[float, float] = (0.5, 30.0),
        max_frame_bytes: int = MAX_FRAME_BYTES,
    ) -> None:
        self._uri = firehose_uri
        self.max_frame_bytes = max_frame_bytes
        self._cursor = cursor
        self._handles = handles
        self.health = health or FirehoseHealth()
        self._recv_timeout_s = recv_timeout_s
        self._backoff_min_s, self._backoff_max_s = backoff_s
        self._backoff_s = self._backoff_min_s
        # One slot: the socket reads the next frame only once the caller has taken this one.
        self._queue: asyncio.Queue[FirehoseBatch] = asyncio.Queue(maxsize=1)
        self._client: Any = None
        self._task: asyncio.Task[None] | None = None
        self._connected_once = False
        self._stopping = False

    @property
    def cursor(self) -> int | None:
        """The last sequence number received (it may be ahead of what the caller handled)."""
        return self._cursor

    async def __aenter__(self) -> BlueskyFirehose:
        self._task = asyncio.create_task(self._run(), name="bluesky-firehose")
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()

    def __aiter__(self) -> BlueskyFirehose:
        return self

    async def __anext__(self) -> FirehoseBatch:
        if self._task is None:
            raise RuntimeError("use BlueskyFirehose as an async context manager")
        return await self._queue.get()

    async def aclose(self, deadline_s: float = 5.0) -> None:
        """Stop reading. Cancelling alone is not enough: the SDK's receive loop can swallow a
        cancellation that lands as a frame arrives, so the client is told to stop as well."""
        self._stopping = True
        task, self._task = self._task, None
        if task is None:
            return
        task.cancel()
        if self._client is not None:
            await self._client.stop()
        for _ in range(10):
            self._drain()  # a callback blocked on a full queue must get through
            if (await asyncio.wait({task}, timeout=deadline_s / 10))[0]:
                return
            task.cancel()
        raise TimeoutError(f"the firehose reader did not stop within {deadline_s} s")

    def _drain(self) -> None:
        while not self._queue.empty():
            self._queue.get_nowait()

    async def _run(self) -> None:
        """The SDK client reconnects by itself; this loop also outlives the errors it raises."""
        while not self._stopping:
            self._client = _ResumingClient(self, self._uri, self._recv_timeout_s)
            try:
                await self._client.start(self._on_frame, self._on_callback_error)
            except Exception as exc:  # error frames (FutureCursor, ConsumerTooSlow...): retry
                self.health.last_error = repr(exc)
            await asyncio.sleep(self.next_backoff())

    def resume_params(self) -> dict[str, int]:
        """Query parameters for the next connection: resume after the last frame received."""
        if self._connected_once:
            self.health.reconnects += 1
        self._connected_once = True
        return {} if self._cursor is None else {"cursor": self._cursor}

    def next_backoff(self) -> float:
        delay, self._backoff_s = self._backoff_s, min(self._backoff_s * 2, self._backoff_max_s)
        return delay

    async def _on_frame(self, frame: firehose_models.MessageFrame) -> None:
        decoded = decode_frame(frame, self.health)
        if decoded.identity is not None and self._handles is not None:
            self._handles.remember(*decoded.identity)
        if decoded.seq is None or self._stopping:
            return
        self._backoff_s = self._backoff_min_s  # the connection works again
        if decoded.posts:
            posts = tuple([await self._with_handle(post) for post in decoded.posts])
            await self._queue.put(FirehoseBatch(decoded.seq, posts))
        self._cursor = self.health.last_seq = decoded.seq

    async def _with_handle(self, post: FirehosePost) -> FirehosePost:
        if self._handles is None or post.repost_of is not None:
            return post  # a repost is never shown as a mention: no lookup for its author
        handle = await self._handles.handle_of(post.author_did)
        return dataclasses.replace(post, author_handle=handle)

    async def _on_callback_error(self, exc: BaseException) -> None:
        self.health.last_error = f"callback: {exc!r}"

    def frame_skipped(self, error: Exception) -> None:
        """A frame that is not even a frame (bad CBOR, unknown type, text, oversized)."""
        self.health.frames += 1
        self.health.malformed_frames += 1
        self.health.last_error = f"frame: {error!r}"[:500]


class _ResumingClient(AsyncFirehoseSubscribeReposClient):  # type: ignore[misc]  # untyped SDK
    """The SDK's client, told our cursor before every dial and our delay between dials."""

    def __init__(self, owner: BlueskyFirehose, uri: str, recv_timeout_s: float) -> None:
        super().__init__(params=None, base_uri=uri, recv_timeout=recv_timeout_s)
        self._owner = owner
        self._max_message_size_bytes = owner.max_frame_bytes * _SOCKET_SLACK

    def _decode_frame(self, raw_frame: str | bytes) -> firehose_models.MessageFrame | None:
        if isinstance(raw_frame, str):
            raise FrameDecodingError("a text frame on a binary stream")
        if len(raw_frame) > self._owner.max_frame_bytes:
            raise FrameDecodingError(f"a frame of {len(raw_frame)} bytes")
        return super()._decode_frame(raw_frame)

    def _handle_frame_decoding_error(self, exception: Exception) -> None:
        """The SDK skips bad frames silently and lets other decoding errors end the connection
        (which, resuming from the same cursor, would meet the same frame forever): every bad
        frame is skipped and counted; only the server's error frames end the connection."""
        if isinstance(exception, SubscriptionError) and not isinstance(
            exception, FrameDecodingError
        ):
            raise exception
        self._owner.frame_skipped(exception)

    async def _before_connect(self) -> None:
        self.update_params(self._owner.resume_params())

    def _get_reconnection_delay(self) -> float:
        return self._owner.next_backoff()
