"""Publish to X through API v2 (`POST /2/tweets`), a thread as a chain of replies.

X has no idempotency key: after an unknown outcome, `lookup` reads the account's tweets since the
scheduled time (`GET /2/users/{id}/tweets`) and matches the texts. X refuses the same text twice
in a row with a 403 "duplicate content": that answer is reconciled the same way instead of being
reported as a failure.
"""

from __future__ import annotations

import httpx

from vigie_publisher.domain.publishing import (
    AccountCredentials,
    OutgoingPublication,
    PermanentFailure,
    PostPart,
    PublishedPost,
)

from ._http import (
    CLOCK_SKEW,
    Candidate,
    Clock,
    HttpApi,
    Json,
    Refusal,
    comment_after,
    epoch_seconds,
    found_post,
    iso_time,
    json_body,
    publish_chain,
    utc_now,
)

API = "https://api.x.com"


class XAdapter(HttpApi):
    network = "x"

    def __init__(
        self,
        credentials: AccountCredentials,
        *,
        deadline_s: float = 10.0,
        clock: Clock = utc_now,
        http: httpx.AsyncClient | None = None,
    ) -> None:
        super().__init__(
            credentials.instance_url or API,
            headers={"Authorization": f"Bearer {credentials.access_token}"},
            deadline_s=deadline_s,
            clock=clock,
            http=http,
        )
        self.handle = credentials.handle.lstrip("@")
        self._user_id = ""

    def refusal(self, response: httpx.Response) -> Refusal:
        # Problem details: {"title", "detail", "type", "status"}, with "errors": [{"message"}]
        # on an invalid request.
        body = json_body(response)
        messages = [str(e.get("message", "")) for e in body.get("errors", []) if e.get("message")]
        message = "; ".join(messages) or str(body.get("detail") or response.text[:300])
        headers = response.headers
        # The 24-hour cap of the user has its own reset; the 15-minute window is the usual one.
        reset = headers.get("x-rate-limit-reset")
        if headers.get("x-user-limit-24hour-remaining") == "0":
            reset = headers.get("x-user-limit-24hour-reset") or reset
        return Refusal(response.status_code, message, reset_at=epoch_seconds(reset))

    async def publish(self, publication: OutgoingPublication) -> PublishedPost:
        if any(part.media for part in publication.parts):
            raise PermanentFailure("media not supported by this adapter yet")

        async def create(_: int, part: PostPart, reply_to: str) -> tuple[str, str]:
            tweet_id = await self._tweet(part.text, reply_to)
            return tweet_id, self._url(tweet_id)

        try:
            published = await publish_chain(publication.parts, publication.in_reply_to, create)
        except PermanentFailure as refused:
            # Only the first part can be refused as such: later failures are unknown outcomes.
            if "duplicate" not in refused.detail.lower():
                raise
            if (existing := await self.lookup(publication)) is None:
                raise
            return existing
        first_id, first_url = published[0]
        if publication.first_comment:
            await comment_after(first_id, self._tweet(publication.first_comment, first_id))
        return PublishedPost(first_id, first_url, tuple(i for i, _ in published))

    async def _tweet(self, text: str, reply_to: str) -> str:
        body: Json = {"text": text}
        if reply_to:
            body["reply"] = {"in_reply_to_tweet_id": reply_to}
        created = await self.json("POST", "/2/tweets", mutating=True, json=body)
        return str(created["data"]["id"])

    def _url(self, tweet_id: str) -> str:
        return f"https://x.com/{self.handle or 'i'}/status/{tweet_id}"

    async def lookup(self, publication: OutgoingPublication) -> PublishedPost | None:
        if not self._user_id:
            me = await self.json("GET", "/2/users/me", mutating=False)
            self._user_id = str(me["data"]["id"])
        since = (publication.scheduled_at - CLOCK_SKEW).strftime("%Y-%m-%dT%H:%M:%SZ")
        params = {"start_time": since, "max_results": "100", "tweet.fields": "created_at"}
        timeline = await self.json(
            "GET", f"/2/users/{self._user_id}/tweets", mutating=False, params=params
        )
        candidates = [
            Candidate(
                str(t["id"]),
                str(t.get("text", "")),
                iso_time(t.get("created_at")),
                self._url(str(t["id"])),
            )
            for t in timeline.get("data", [])
        ]
        return found_post(candidates, publication)
