"""Doubles of the public read APIs the statistics readers use, as documented: Mastodon
(docs.joinmastodon.org/methods/accounts), X API v2 (docs.x.com: users lookup, user posts
timeline) and a Bluesky AppView (lexicons app.bsky.actor.getProfile, app.bsky.feed.getAuthorFeed).
Each is an `httpx.MockTransport` handler that records contract breaches in `problems`."""

from datetime import UTC, datetime, timedelta

import httpx

NOW = datetime(2026, 3, 29, 12, 0, tzinfo=UTC)


def iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.000Z")


class MastodonDouble:
    """One instance (https://mastodon.example) with the account @rival: statuses newest first."""

    def __init__(self, ages: list[timedelta], token: str = "") -> None:
        self.token, self.problems, self.pages_read = token, [], 0
        self.account = {"id": "109", "username": "rival", "acct": "rival",
                        "followers_count": 1200, "following_count": 31, "statuses_count": 412}  # fmt: skip
        self.statuses = [
            {"id": str(10_000 - i), "created_at": iso(NOW - age), "in_reply_to_id": "77" if i == 1 else None,
             "url": f"https://mastodon.example/@rival/{10_000 - i}", "content": f"<p>Post &amp; {i}</p>",
             "favourites_count": i, "reblogs_count": 2 * i, "replies_count": 3, "quotes_count": 1}
            for i, age in enumerate(ages)
        ]  # fmt: skip

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if self.token and request.headers.get("authorization") != f"Bearer {self.token}":
            self.problems.append(f"{request.url.path}: no bearer token")
        if request.url.host != "mastodon.example":
            return httpx.Response(502)
        if request.url.path == "/api/v1/accounts/lookup":
            if request.url.params.get("acct") in ("rival", "rival@mastodon.example"):
                return httpx.Response(200, json=self.account)
            return httpx.Response(404, json={"error": "Record not found"})
        if request.url.path == "/api/v1/accounts/109/statuses":
            return self._statuses(request.url.params)
        return httpx.Response(404, json={"error": "Record not found"})

    def _statuses(self, params: httpx.QueryParams) -> httpx.Response:
        self.pages_read += 1
        limit = int(params.get("limit", "20"))
        if limit > 40:
            self.problems.append(f"limit {limit} is above the documented maximum of 40")
        older = [
            s
            for s in self.statuses
            if not params.get("max_id") or int(s["id"]) < int(params["max_id"])
        ]
        return httpx.Response(200, json=older[:limit])


class XDouble:
    """api.x.com with the user @rival (id 2244994945)."""

    def __init__(self, token: str, tweets: list[dict[str, object]]) -> None:
        self.token, self.tweets, self.problems = token, tweets, []
        self.rate_limited = False

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.headers.get("authorization") != f"Bearer {self.token}":
            return httpx.Response(
                401, json={"title": "Unauthorized", "status": 401, "detail": "Unauthorized"}
            )
        if self.rate_limited:
            return httpx.Response(429, json={"title": "Too Many Requests", "status": 429},
                                  headers={"x-rate-limit-reset": str(int(NOW.timestamp()) + 900)})  # fmt: skip
        path, params = request.url.path, request.url.params
        if path.startswith("/2/users/by/username/"):
            if params.get("user.fields") != "public_metrics":
                self.problems.append("user lookup without user.fields=public_metrics")
            if path.endswith("/rival"):
                metrics = {"followers_count": 5400, "following_count": 210, "tweet_count": 9800,
                           "listed_count": 12, "like_count": 300}  # fmt: skip
                user = {
                    "id": "2244994945",
                    "name": "Rival",
                    "username": "rival",
                    "public_metrics": metrics,
                }
                return httpx.Response(200, json={"data": user})
            name = path.rsplit("/", 1)[-1]
            error = {"value": name, "detail": f"Could not find user with username: [{name}].",
                     "title": "Not Found Error", "resource_type": "user", "parameter": "username",
                     "type": "https://api.twitter.com/2/problems/resource-not-found"}  # fmt: skip
            return httpx.Response(200, json={"errors": [error]})
        if path == "/2/users/2244994945/tweets":
            fields = set(params.get("tweet.fields", "").split(","))
            if not {"public_metrics", "created_at", "referenced_tweets"} <= fields:
                self.problems.append(f"tweet.fields {sorted(fields)} lack what the reader uses")
            if not 5 <= int(params.get("max_results", "10")) <= 100:
                self.problems.append("max_results outside 5..100")
            meta = {"result_count": len(self.tweets)}
            return httpx.Response(
                200, json={"data": self.tweets, "meta": meta} if self.tweets else {"meta": meta}
            )
        return httpx.Response(404, json={"title": "Not Found Error", "status": 404})


def x_tweet(tweet_id: str, age: timedelta, **metrics: int) -> dict[str, object]:
    counts = {"retweet_count": 0, "reply_count": 0, "like_count": 0, "quote_count": 0,
              "bookmark_count": 0, "impression_count": 0, **metrics}  # fmt: skip
    return {"id": tweet_id, "text": f"tweet {tweet_id}", "created_at": iso(NOW - age),
            "edit_history_tweet_ids": [tweet_id], "public_metrics": counts}  # fmt: skip


class AppViewDouble:
    """An AppView knowing rival.bsky.social (did:plc:rival); its feed holds one repost."""

    DID = "did:plc:rival"

    def __init__(self) -> None:
        self.problems: list[str] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        path, params = request.url.path, request.url.params
        if path == "/xrpc/app.bsky.actor.getProfile":
            if params.get("actor") != "rival.bsky.social":
                return httpx.Response(
                    400, json={"error": "InvalidRequest", "message": "Profile not found"}
                )
            return httpx.Response(200, json={"did": self.DID, "handle": "rival.bsky.social",
                                             "followersCount": 880, "followsCount": 75, "postsCount": 640})  # fmt: skip
        if path == "/xrpc/app.bsky.feed.getAuthorFeed":
            if params.get("actor") not in (self.DID, "rival.bsky.social"):
                self.problems.append(f"getAuthorFeed of {params.get('actor')}")
            if int(params.get("limit", "50")) > 100:
                self.problems.append("limit above 100")
            return httpx.Response(200, json={"feed": self._feed()})
        return httpx.Response(501, json={"error": "MethodNotImplemented"})

    def _feed(self) -> list[dict[str, object]]:
        def view(rkey: str, author: str, age: timedelta, **counts: object) -> dict[str, object]:
            return {"uri": f"at://{author}/app.bsky.feed.post/{rkey}", "cid": "bafy" + rkey,
                    "author": {"did": author, "handle": "someone"},
                    "record": {"$type": "app.bsky.feed.post", "text": f"post {rkey}",
                               "createdAt": iso(NOW - age), **counts.pop("record", {})},  # type: ignore[dict-item]
                    "indexedAt": iso(NOW - age), **counts}  # fmt: skip

        reply = {"reply": {"root": {"uri": "at://did:plc:x/app.bsky.feed.post/r", "cid": "c"},
                           "parent": {"uri": "at://did:plc:x/app.bsky.feed.post/p", "cid": "c"}}}  # fmt: skip
        return [
            {"post": view("3kb", self.DID, timedelta(hours=2), likeCount=12, repostCount=3, replyCount=4, quoteCount=1)},
            {"post": view("3ka", "did:plc:other", timedelta(hours=3), likeCount=99),
             "reason": {"$type": "app.bsky.feed.defs#reasonRepost", "by": {"did": self.DID}}},
            {"post": view("3k9", self.DID, timedelta(days=2), likeCount=1, record=reply)},
            {"post": view("3k1", self.DID, timedelta(days=40), likeCount=7)},
        ]  # fmt: skip
