"""Test support other suites reuse: an account of a real Bluesky PDS acting on others (follow,
post, reply, like, repost, quote) through XRPC, as people do on the network. No AppView is
needed: every action is a record created in the actor's own repository."""

from datetime import UTC, datetime

import httpx
from vigie.publisher.v1 import resources_pb2 as pb

# A strong reference to a record: {"uri": "at://...", "cid": "..."}.
StrongRef = dict[str, str]


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

    async def create(self, collection: str, record: dict[str, object]) -> StrongRef:
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

    async def post(self, text: str, reply_to: StrongRef | None = None) -> StrongRef:
        record: dict[str, object] = {"text": text}
        if reply_to:
            record["reply"] = {"root": reply_to, "parent": reply_to}
        return await self.create("app.bsky.feed.post", record)

    async def quote(self, text: str, quoted: StrongRef) -> StrongRef:
        embed = {"$type": "app.bsky.embed.record", "record": quoted}
        return await self.create("app.bsky.feed.post", {"text": text, "embed": embed})

    async def like(self, post: StrongRef) -> None:
        await self.create("app.bsky.feed.like", {"subject": post})

    async def repost(self, post: StrongRef) -> None:
        await self.create("app.bsky.feed.repost", {"subject": post})


def social_account(pds_url: str, handle: str, password: str) -> pb.SocialAccount:
    """The Bluesky account of `handle` on the PDS, as a brand connects it in Vigie."""
    credentials = pb.SocialAccountCredentials(
        bluesky=pb.BlueskyCredentials(service_url=pds_url, identifier=handle, app_password=password)
    )
    return pb.SocialAccount(
        network=pb.NETWORK_BLUESKY,
        handle="@" + handle,
        time_zone="Europe/Paris",
        credentials=credentials,
    )


def _now() -> str:
    return datetime.now(UTC).isoformat().replace("+00:00", "Z")
