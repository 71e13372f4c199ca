"""A Bluesky account's statistics from an AppView (the lexicons app.bsky.actor.getProfile:
followersCount, followsCount, postsCount; app.bsky.feed.getAuthorFeed: each post view's
likeCount, repostCount, replyCount, quoteCount)."""

from datetime import datetime

import httpx

from vigie_publisher.adapters.networks._http import HttpApi, Json
from vigie_publisher.adapters.stats._common import MAX_PAGES, count, created
from vigie_publisher.domain.presence.stats import (
    RECENT_LIMIT,
    RECENT_WINDOW,
    AccountStats,
    PostStats,
    StatsNotRead,
    recent_posts,
)


def web_url(handle: str, uri: str) -> str:
    return f"https://bsky.app/profile/{handle}/post/{uri.rsplit('/', 1)[-1]}"


class BlueskyAppViewStats(HttpApi):
    def __init__(self, appview_url: str, *, deadline_s: float, http: httpx.AsyncClient) -> None:
        super().__init__(appview_url, deadline_s=deadline_s, http=http)

    async def read(self, handle: str, now: datetime) -> AccountStats:
        actor = handle.lstrip("@")
        profile = await self.find("/xrpc/app.bsky.actor.getProfile", params={"actor": actor})
        if profile is None or "did" not in profile:
            raise StatsNotRead(f"no Bluesky profile {actor}")
        posts = await self._feed(str(profile["did"]), actor, now)
        return AccountStats(
            followers=count(profile.get("followersCount")),
            following=count(profile.get("followsCount")),
            posts=count(profile.get("postsCount")),
            recent=recent_posts(posts, now),
        )

    async def _feed(self, did: str, handle: str, now: datetime) -> list[PostStats]:
        found: list[PostStats] = []
        params = {"actor": did, "limit": "100", "filter": "posts_with_replies"}
        for _ in range(MAX_PAGES):
            page = await self.json(
                "GET", "/xrpc/app.bsky.feed.getAuthorFeed", mutating=False, params=params
            )
            for item in page.get("feed") or []:
                post = item.get("post") or {}
                # A repost by the account is someone else's post: not the account's own.
                if item.get("reason") is None and (post.get("author") or {}).get("did") == did:
                    found.append(_post(post, handle))
            oldest = found[-1].created_at if found else now
            if not page.get("cursor") or len(found) >= RECENT_LIMIT or oldest < now - RECENT_WINDOW:
                break
            params = {**params, "cursor": str(page["cursor"])}
        return found


def _post(view: Json, handle: str) -> PostStats:
    record = view.get("record") or {}
    return PostStats(
        uri=str(view["uri"]),
        url=web_url(handle, str(view["uri"])),
        created_at=created(record, "createdAt"),
        likes=count(view.get("likeCount")),
        reposts=count(view.get("repostCount")),
        replies=count(view.get("replyCount")),
        quotes=count(view.get("quoteCount")),
        reply_to=str(((record.get("reply") or {}).get("parent") or {}).get("uri") or ""),
        text=str(record.get("text") or ""),
    )
