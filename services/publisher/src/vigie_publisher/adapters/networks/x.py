"""Publish to X through API v2 (`POST /2/tweets`), a thread as a chain of replies.

X has no idempotency key: after an unknown outcome, `lookup` reads the account's tweets since the
scheduled time (`GET /2/users/{id}/tweets`) and matches the texts. X refuses the same text twice
in a row with a 403 "duplicate content": that answer is reconciled the same way instead of being
reported as a failure.

Images are uploaded with `POST /2/media/upload` (one request, `media_category=tweet_image`) and
described with `POST /2/media/metadata`; videos and GIFs need the chunked upload
(INIT/APPEND/FINALIZE), which this adapter does not do yet: they are refused as permanent.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import httpx

from vigie_publisher.domain.publishing import (
    AccountCredentials,
    MediaItem,
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
MAX_IMAGES = 4
IMAGE_TYPES = {"image/jpeg", "image/png", "image/webp"}


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
        return Refusal(response.status_code, message, reset_at=_reset(response.headers))

    async def publish(self, publication: OutgoingPublication) -> PublishedPost:
        for index, part in enumerate(publication.parts):
            _check_media(part, index)

        async def create(_: int, part: PostPart, reply_to: str) -> tuple[str, str]:
            media_ids = [await self._upload(item) for item in part.media]
            tweet_id = await self._tweet(part.text, reply_to, media_ids)
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

    async def _tweet(self, text: str, reply_to: str, media_ids: Sequence[str] = ()) -> str:
        body: Json = {"text": text}
        if reply_to:
            body["reply"] = {"in_reply_to_tweet_id": reply_to}
        if media_ids:
            body["media"] = {"media_ids": list(media_ids)}
        created = await self.json("POST", "/2/tweets", mutating=True, json=body)
        return str(created["data"]["id"])

    async def _upload(self, item: MediaItem) -> str:
        # Uploaded media are invisible until a tweet uses them: a lost answer is retried.
        files = {"media": ("media", await self.media_bytes(item), item.mime_type)}
        data = {"media_category": "tweet_image"}
        uploaded = await self.json(
            "POST", "/2/media/upload", mutating=False, files=files, data=data
        )
        media_id = str(uploaded["data"]["id"])
        if item.alt_text:
            alt = {"id": media_id, "metadata": {"alt_text": {"text": item.alt_text}}}
            await self.json("POST", "/2/media/metadata", mutating=False, json=alt)
        return media_id

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


def _check_media(part: PostPart, index: int) -> None:
    if len(part.media) > MAX_IMAGES:
        raise PermanentFailure(f"part {index + 1}: X takes at most {MAX_IMAGES} images")
    for item in part.media:
        if item.mime_type not in IMAGE_TYPES:
            raise PermanentFailure(
                f"part {index + 1}: {item.mime_type} media not supported by this adapter yet "
                "(X needs the chunked upload for videos and GIFs)"
            )


def _reset(headers: httpx.Headers) -> datetime | None:
    """When the exhausted window ends: the 15-minute one, or a 24-hour cap (the user's or the
    app's) when that is the one at zero, whichever ends last."""
    resets = [epoch_seconds(headers.get("x-rate-limit-reset"))]
    for cap in ("x-user-limit-24hour", "x-app-limit-24hour"):
        if headers.get(f"{cap}-remaining") == "0":
            resets.append(epoch_seconds(headers.get(f"{cap}-reset")))
    known = [reset for reset in resets if reset is not None]
    return max(known) if known else None
