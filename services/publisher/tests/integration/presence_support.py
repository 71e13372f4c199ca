"""Helpers of the presence tests: a publisher with its worker on NATS, and a real PDS's
accounts acting on each other (follow, post, like, reply) through XRPC."""

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import httpx
from vigie_publisher.bootstrap import build
from vigie_publisher.config import Settings
from vigie_runtime.grpc_client import open_channel
from vigie_runtime.testing.services import serving
from vigie_runtime.testing.tokens import TestKeys

from .api_support import Api, Stub


async def serve_worker_api(db_settings: Settings, nats_url: str) -> AsyncIterator[Api]:
    """The publisher in `all` mode (API, outbox relay, consumers, loops) on `nats_url`."""
    platform = db_settings.platform.model_copy(update={"nats_url": nats_url})
    settings = db_settings.model_copy(update={"platform": platform})
    keys = TestKeys(settings.platform.jwks_file)
    async with (
        serving(build(settings), mode="all") as host,
        open_channel(f"127.0.0.1:{host.grpc_port}") as channel,
    ):
        yield Api(Stub(channel), keys)


class PdsUser:
    """One account of the PDS, logged in."""

    def __init__(self, pds_url: str, did: str, handle: str, token: str) -> None:
        self.pds_url, self.did, self.handle, self._token = pds_url, did, handle, token

    @classmethod
    async def login(cls, pds_url: str, handle: str, password: str) -> "PdsUser":
        async with httpx.AsyncClient(base_url=pds_url, timeout=15) as http:
            response = await http.post(
                "/xrpc/com.atproto.server.createSession",
                json={"identifier": handle, "password": password},
            )
            response.raise_for_status()
            body = response.json()
        return cls(pds_url, body["did"], body["handle"], body["accessJwt"])

    async def create(self, collection: str, record: dict[str, object]) -> dict[str, str]:
        """Creates a record; its strong ref {uri, cid}."""
        body = {"repo": self.did, "collection": collection,
                "record": {"$type": collection, "createdAt": _now(), **record}}  # fmt: skip
        async with httpx.AsyncClient(base_url=self.pds_url, timeout=15) as http:
            response = await http.post(
                "/xrpc/com.atproto.repo.createRecord",
                json=body,
                headers={"Authorization": f"Bearer {self._token}"},
            )
            response.raise_for_status()
            found = response.json()
        return {"uri": found["uri"], "cid": found["cid"]}

    async def follow(self, other: "PdsUser") -> None:
        await self.create("app.bsky.graph.follow", {"subject": other.did})

    async def post(self, text: str, reply_to: dict[str, str] | None = None) -> dict[str, str]:
        record: dict[str, object] = {"text": text}
        if reply_to:
            record["reply"] = {"root": reply_to, "parent": reply_to}
        return await self.create("app.bsky.feed.post", record)

    async def like(self, post: dict[str, str]) -> None:
        await self.create("app.bsky.feed.like", {"subject": post})


def _now() -> str:
    return datetime.now(UTC).isoformat().replace("+00:00", "Z")
