"""An X account's statistics (docs.x.com, API v2):
`GET /2/users/by/username/:username?user.fields=public_metrics` (followers_count,
following_count, tweet_count) and `GET /2/users/:id/tweets` with
`tweet.fields=public_metrics,created_at,referenced_tweets` (like_count, retweet_count,
reply_count, quote_count, impression_count; the replied_to reference)."""

from datetime import datetime

import httpx

from vigie_publisher.adapters.networks._http import HttpApi, Json, json_body
from vigie_publisher.adapters.stats._common import count, created
from vigie_publisher.domain.presence.stats import (
    RECENT_LIMIT,
    RECENT_WINDOW,
    AccountStats,
    PostStats,
    StatsNotRead,
    recent_posts,
)

API = "https://api.x.com"


class XStats(HttpApi):
    def __init__(
        self, base_url: str, token: str, *, deadline_s: float, http: httpx.AsyncClient
    ) -> None:
        headers = {"Authorization": f"Bearer {token}"}
        super().__init__(base_url or API, headers=headers, deadline_s=deadline_s, http=http)

    async def read(self, handle: str, now: datetime) -> AccountStats:
        username = handle.lstrip("@")
        params = {"user.fields": "public_metrics"}
        found = await self.call(
            "GET", f"/2/users/by/username/{username}", mutating=False, params=params
        )
        user = json_body(found).get("data")
        if not isinstance(user, dict):  # X answers 200 with an "errors" list for unknown users
            raise StatsNotRead(f"no X user @{username}")
        metrics = user.get("public_metrics") or {}
        posts = await self._tweets(str(user["id"]), username, now)
        return AccountStats(
            followers=count(metrics.get("followers_count")),
            following=count(metrics.get("following_count")),
            posts=count(metrics.get("tweet_count")),
            recent=recent_posts(posts, now),
        )

    async def _tweets(self, user_id: str, username: str, now: datetime) -> list[PostStats]:
        # One page of 100 since the window's start is exactly what a snapshot keeps.
        params = {
            "tweet.fields": "public_metrics,created_at,referenced_tweets",
            "max_results": str(RECENT_LIMIT),
            "exclude": "retweets",
            "start_time": (now - RECENT_WINDOW).strftime("%Y-%m-%dT%H:%M:%SZ"),
        }
        response = await self.call(
            "GET", f"/2/users/{user_id}/tweets", mutating=False, params=params
        )
        return [_post(tweet, username) for tweet in json_body(response).get("data") or []]


def _post(tweet: Json, username: str) -> PostStats:
    metrics = tweet.get("public_metrics") or {}
    replied = [r for r in tweet.get("referenced_tweets") or [] if r.get("type") == "replied_to"]
    impressions = metrics.get("impression_count")
    return PostStats(
        uri=str(tweet["id"]),
        url=f"https://x.com/{username}/status/{tweet['id']}",
        created_at=created(tweet, "created_at"),
        likes=count(metrics.get("like_count")),
        reposts=count(metrics.get("retweet_count")),
        replies=count(metrics.get("reply_count")),
        quotes=count(metrics.get("quote_count")),
        impressions=count(impressions) if impressions is not None else -1,
        reply_to=str(replied[0]["id"]) if replied else "",
        text=str(tweet.get("text") or ""),
    )
