"""A Bluesky account's statistics read from its PDS alone, for a PDS without an AppView.

A PDS holds repositories, not counts: the account's own repo gives its posts (and their reply
parents) and the accounts it follows; followers, likes, reposts, replies and quotes are counted
by walking every repository the PDS hosts (`com.atproto.sync.listRepos`) and their follow,
like, repost and post records. So only interactions from accounts on the same PDS are seen:
exact on a self-hosted PDS, partial on a shared one (docs/PUBLISHER.md says so).
"""

import asyncio
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

import httpx

from vigie_publisher.adapters.networks._http import HttpApi, Json, error_for, json_body
from vigie_publisher.adapters.stats._common import created
from vigie_publisher.adapters.stats.bluesky_appview import web_url
from vigie_publisher.domain.presence.stats import (
    AccountStats,
    PostStats,
    StatsNotRead,
    recent_posts,
)

POST, FOLLOW, LIKE, REPOST = (
    "app.bsky.feed.post",
    "app.bsky.graph.follow",
    "app.bsky.feed.like",
    "app.bsky.feed.repost",
)
# Repositories walked at once: each costs a few small list calls.
WALKERS = 8
# Past this many hosted repositories a walk per snapshot costs too much: an AppView is needed.
MAX_REPOS = 5_000


@dataclass
class _Tally:
    followers: int = 0
    likes: Counter[str] = field(default_factory=Counter)
    reposts: Counter[str] = field(default_factory=Counter)
    replies: Counter[str] = field(default_factory=Counter)
    quotes: Counter[str] = field(default_factory=Counter)


class BlueskyPdsStats(HttpApi):
    def __init__(self, pds_url: str, *, deadline_s: float, http: httpx.AsyncClient) -> None:
        super().__init__(pds_url, deadline_s=deadline_s, http=http)

    async def read(self, handle: str, now: datetime) -> AccountStats:
        did = await self._did(handle.lstrip("@"))
        own = [_post(record, handle.lstrip("@")) for record in await self.records(did, POST)]
        recent = recent_posts(own, now)
        following = len(await self.records(did, FOLLOW))
        tally = await self._tally(did, {p.uri for p in recent})
        return AccountStats(
            followers=tally.followers,
            following=following,
            posts=len(own),
            recent=tuple(_engaged(p, tally) for p in recent),
        )

    async def _did(self, handle: str) -> str:
        if handle.startswith("did:"):
            return handle
        path, params = "/xrpc/com.atproto.identity.resolveHandle", {"handle": handle}
        response = await self.send("GET", path, mutating=False, params=params)
        found = json_body(response)
        if _unknown_handle(response, found) or (response.is_success and "did" not in found):
            raise StatsNotRead(f"the PDS {self._base_url} does not know {handle}")
        if not response.is_success:
            raise error_for(self.refusal(response), mutating=False)
        return str(found["did"])

    async def records(self, repo: str, collection: str) -> list[Json]:
        """Every record of one collection of a repo (pages of 100)."""
        found: list[Json] = []
        params = {"repo": repo, "collection": collection, "limit": "100"}
        while True:
            page = await self.json(
                "GET", "/xrpc/com.atproto.repo.listRecords", mutating=False, params=params
            )
            records = page.get("records") or []
            found.extend(records)
            if not records or not page.get("cursor"):
                return found
            params = {**params, "cursor": str(page["cursor"])}

    async def repos(self) -> list[str]:
        dids: list[str] = []
        params = {"limit": "1000"}
        while True:
            page = await self.json(
                "GET", "/xrpc/com.atproto.sync.listRepos", mutating=False, params=params
            )
            repos = page.get("repos") or []
            dids.extend(str(r["did"]) for r in repos if r.get("active", True))
            if len(dids) > MAX_REPOS:
                raise StatsNotRead(
                    f"the PDS {self._base_url} hosts over {MAX_REPOS} accounts: too many to walk"
                    " at each snapshot; configure PUBLISHER_BLUESKY_APPVIEW_URL"
                )
            if not repos or not page.get("cursor"):
                return dids
            params = {**params, "cursor": str(page["cursor"])}

    async def _tally(self, did: str, recent: set[str]) -> _Tally:
        tally, gate = _Tally(), asyncio.Semaphore(WALKERS)

        async def walk(repo: str) -> None:
            async with gate:
                await self._walk(repo, did, recent, tally)

        await asyncio.gather(*(walk(repo) for repo in await self.repos()))
        return tally

    async def _walk(self, repo: str, did: str, recent: set[str], tally: _Tally) -> None:
        if repo != did:
            follows = await self.records(repo, FOLLOW)
            tally.followers += any(r["value"].get("subject") == did for r in follows)
        if not recent:
            return
        for record in await self.records(repo, LIKE):
            if (uri := _subject_uri(record)) in recent:
                tally.likes[uri] += 1
        for record in await self.records(repo, REPOST):
            if (uri := _subject_uri(record)) in recent:
                tally.reposts[uri] += 1
        for record in await self.records(repo, POST):
            value = record["value"]
            if (parent := _reply_parent(value)) in recent:
                tally.replies[parent] += 1
            if (quoted := _quoted(value)) in recent:
                tally.quotes[quoted] += 1


def _unknown_handle(response: httpx.Response, body: Json) -> bool:
    """A PDS answers an unknown handle with 400 InvalidRequest "Unable to resolve handle" (the
    lexicon's newer HandleNotFound), not 404: said as such rather than as a refusal."""
    if response.status_code == 404 or body.get("error") == "HandleNotFound":
        return True
    return response.status_code == 400 and body.get("message") == "Unable to resolve handle"


def _subject_uri(record: Json) -> str:
    return str((record["value"].get("subject") or {}).get("uri") or "")


def _reply_parent(value: Json) -> str:
    return str(((value.get("reply") or {}).get("parent") or {}).get("uri") or "")


def _quoted(value: Json) -> str:
    """The post an `app.bsky.embed.record` (or recordWithMedia) embed quotes."""
    embed = value.get("embed") or {}
    record = embed.get("record") or {}
    if embed.get("$type") == "app.bsky.embed.recordWithMedia":
        record = record.get("record") or {}
    return str(record.get("uri") or "")


def _post(record: Json, handle: str) -> PostStats:
    value = record["value"]
    return PostStats(
        uri=str(record["uri"]),
        url=web_url(handle, str(record["uri"])),
        created_at=created(value, "createdAt"),
        reply_to=_reply_parent(value),
        text=str(value.get("text") or ""),
    )


def _engaged(post: PostStats, tally: _Tally) -> PostStats:
    return PostStats(
        post.uri, post.created_at, post.url,
        likes=tally.likes[post.uri], reposts=tally.reposts[post.uri],
        replies=tally.replies[post.uri], quotes=tally.quotes[post.uri],
        reply_to=post.reply_to, text=post.text,
    )  # fmt: skip
