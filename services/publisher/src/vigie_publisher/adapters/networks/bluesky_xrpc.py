"""A logged-in XRPC session on a PDS: deadlines, token refresh, and the contract's errors.

Failures become the errors of `vigie_publisher.domain.publishing`, so the dispatcher treats
Bluesky like every other network.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from vigie_runtime.outbound import AddressRefused

from vigie_publisher.domain.publishing import (
    AuthFailed,
    OutcomeUnknown,
    PermanentFailure,
    RateLimited,
    TransientFailure,
)

Json = dict[str, Any]
_TID_ALPHABET = "234567abcdefghijklmnopqrstuvwxyz"
_AUTH_ERRORS = {"ExpiredToken", "InvalidToken", "AuthenticationRequired", "AuthMissing"}


@dataclass(frozen=True)
class StrongRef:
    uri: str
    cid: str

    def as_json(self) -> Json:
        return {"uri": self.uri, "cid": self.cid}


def record_key(idempotency_key: str, scheduled_at: datetime, index: int) -> str:
    """A TID (the only record key `app.bsky.feed.post` accepts) fixed by the publication.

    The scheduled second, a 1000-slot offset and a 10-bit clock id from the key's hash, plus the
    part's index, so the keys of a thread sort in order and a retry finds the same key.
    """
    if not 0 <= index < 1000:
        raise ValueError("a thread holds at most 1000 posts")
    digest = int.from_bytes(hashlib.sha256(idempotency_key.encode()).digest()[:8], "big")
    second = int(scheduled_at.astimezone(UTC).timestamp())
    micros = second * 1_000_000 + (digest % 1000) * 1000 + index
    value = (micros << 10) | ((digest >> 20) & 0x3FF)
    return "".join(_TID_ALPHABET[(value >> shift) & 31] for shift in range(60, -1, -5))


def raise_for_response(response: httpx.Response) -> None:
    """Raise the contract's error that says what the dispatcher should do about a failure."""
    if response.is_success:
        return
    try:
        body: Json = dict(response.json())
    except ValueError:  # a proxy's HTML page, say: the status alone decides
        body = {}
    error = str(body.get("error", ""))
    detail = f"{response.status_code} {error}: {body.get('message', response.text[:200])}"
    if response.status_code == 401 or error in _AUTH_ERRORS:
        raise AuthFailed(detail)
    if response.status_code == 429:
        raise RateLimited(detail, _reset_time(response.headers))
    if response.status_code >= 500:
        raise TransientFailure(detail)
    raise PermanentFailure(detail)


def is_not_found(error: PermanentFailure) -> bool:
    return "RecordNotFound" in error.detail or error.detail.startswith("404")


def _reset_time(headers: httpx.Headers) -> datetime | None:
    """When a rate limit lifts: `ratelimit-reset` (epoch seconds), else `retry-after` (delay)."""
    try:
        if reset := headers.get("ratelimit-reset"):
            return datetime.fromtimestamp(int(reset), UTC)
        if delay := headers.get("retry-after"):
            return datetime.now(UTC) + timedelta(seconds=int(delay))
    except ValueError:
        pass
    return None


class XrpcSession:
    """One account on one PDS, logged in with an app password; every call has a deadline."""

    def __init__(self, http: httpx.AsyncClient, identifier: str, app_password: str) -> None:
        self._http = http
        self._identifier, self._app_password = identifier, app_password
        self._tokens: Json = {}

    @property
    def did(self) -> str:
        return str(self._tokens["did"])

    @property
    def handle(self) -> str:
        return str(self._tokens["handle"])

    async def login(self) -> None:
        body = {"identifier": self._identifier, "password": self._app_password}
        self._tokens = await self.send("POST", "com.atproto.server.createSession", json=body)

    def forget_access_token(self) -> None:
        """As if the access token had expired (tests use it to exercise the refresh)."""
        self._tokens["accessJwt"] = "expired"

    async def _refresh(self) -> None:
        """Trade the refresh token for new tokens; log in again if it has expired too."""
        try:
            self._tokens = await self.send(
                "POST", "com.atproto.server.refreshSession", token=self._tokens["refreshJwt"]
            )
        except AuthFailed:
            await self.login()

    async def send(self, method: str, nsid: str, token: str | None = None, **kw: Any) -> Json:
        """One call. A timeout after a write was sent leaves its outcome unknown."""
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        headers.update(kw.pop("headers", {}))
        try:
            response = await self._http.request(method, f"/xrpc/{nsid}", headers=headers, **kw)
        except AddressRefused as exc:  # the guard stopped it before anything was sent
            raise PermanentFailure(f"{nsid}: address refused: {exc}") from exc
        except httpx.ConnectError as exc:  # nothing reached the server
            raise TransientFailure(f"{nsid}: {exc!r}") from exc
        except httpx.TransportError as exc:
            if nsid == "com.atproto.repo.createRecord":  # it may have been written
                raise OutcomeUnknown(f"{nsid}: {exc!r}") from exc
            raise TransientFailure(f"{nsid}: {exc!r}") from exc
        raise_for_response(response)
        return dict(response.json()) if response.content else {}

    async def call(self, method: str, nsid: str, **kw: Any) -> Json:
        """An authenticated call, refreshing the session once if the access token expired."""
        try:
            return await self.send(method, nsid, token=self._tokens["accessJwt"], **kw)
        except AuthFailed:
            await self._refresh()
            return await self.send(method, nsid, token=self._tokens["accessJwt"], **kw)

    async def get_record(self, uri: str) -> tuple[StrongRef, Json] | None:
        """The record at an at:// URI, or None when there is none."""
        repo, collection, rkey = uri.removeprefix("at://").split("/")
        params = {"repo": repo, "collection": collection, "rkey": rkey}
        try:
            found = await self.call("GET", "com.atproto.repo.getRecord", params=params)
        except PermanentFailure as exc:
            if is_not_found(exc):
                return None
            raise
        return StrongRef(str(found["uri"]), str(found["cid"])), dict(found["value"])

    async def resolve_handle(self, handle: str) -> str | None:
        try:
            found = await self.send(
                "GET", "com.atproto.identity.resolveHandle", params={"handle": handle}
            )
        except PermanentFailure:
            return None
        return str(found["did"])
