"""Publish to a Facebook Page (`POST /{page-id}/feed`), and what Meta's Graph APIs share.

`GraphApi` reads Meta's error body `{"error": {"message", "type", "code", "error_subcode",
"fbtrace_id", "is_transient"}}` (the same for Facebook, Instagram and Threads) and the
`X-Business-Use-Case-Usage` header that says when a throttled account may call again. None of
these APIs has an idempotency key: `lookup` lists the account's recent posts and matches texts.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Mapping
from datetime import datetime, timedelta

import httpx

from vigie_publisher.domain.publishing import (
    AccountCredentials,
    MediaItem,
    OutgoingPublication,
    PermanentFailure,
    PublishedPost,
    PublishError,
    TransientFailure,
)

from ._http import (
    CLOCK_SKEW,
    Candidate,
    Clock,
    HttpApi,
    Json,
    Refusal,
    comment_after,
    found_post,
    iso_time,
    json_body,
    retry_after,
    single_part,
    utc_now,
)

FACEBOOK_API = "https://graph.facebook.com"
GRAPH_VERSION = "v21.0"
# 190: invalid or expired token; 102: session; 10 and 200-299: a permission the token lacks,
# which only reconnecting the account fixes.
_AUTH_CODES = {102, 190, 10}
# Application, user, page, custom and business-use-case throttling.
_RATE_CODES = {4, 17, 32, 613, 80001, 80002, 80004, 80005, 80006, 80008, 80014}
# Instagram's content publishing limit (posts per 24 hours).
_PUBLISHING_LIMIT_SUBCODE = 2207042
_TRANSIENT_CODES = {1, 2}
_CONTAINER_POLLS = 20


def regain_access(headers: Mapping[str, str], now: datetime) -> datetime | None:
    """`estimated_time_to_regain_access` (minutes) from the business use case usage header."""
    raw = headers.get("x-business-use-case-usage")
    if not raw:
        return None
    try:
        usage = json.loads(raw)
        minutes = max(
            int(entry.get("estimated_time_to_regain_access", 0))
            for entries in usage.values()
            for entry in entries
        )
    except (ValueError, AttributeError, TypeError):
        return None
    return now + timedelta(minutes=minutes) if minutes else None


def public_url(item: MediaItem) -> str:
    """Meta's servers fetch media themselves (`image_url`, `video_url`, `url`): only a public
    HTTP(S) URL can work, so a local file is refused before anything is created."""
    if not item.url.startswith(("https://", "http://")):
        raise PermanentFailure(f"{item.url}: Meta fetches media by public URL; this is not one")
    return item.url


class GraphApi(HttpApi):
    """A client of one of Meta's Graph APIs for one account: `account_id` is the page's id on
    Facebook, the ig-user-id on Instagram, the threads-user-id on Threads."""

    api, version = FACEBOOK_API, GRAPH_VERSION

    def __init__(
        self,
        credentials: AccountCredentials,
        *,
        account_id: str,
        version: str = "",
        deadline_s: float = 10.0,
        clock: Clock = utc_now,
        http: httpx.AsyncClient | None = None,
    ) -> None:
        base = f"{credentials.instance_url or self.api}/{version or self.version}"
        super().__init__(base, deadline_s=deadline_s, clock=clock, http=http)
        self.object_id = account_id
        self._token = {"access_token": credentials.access_token}

    def refusal(self, response: httpx.Response) -> Refusal:
        error = json_body(response).get("error")
        if not isinstance(error, dict):  # not the Graph API's own answer (a proxy's, say)
            error = {}
        code, subcode = int(error.get("code", 0)), int(error.get("error_subcode", 0))
        message = str(error.get("message") or response.text[:300])
        if trace := error.get("fbtrace_id"):
            message = f"{message} (code {code}, fbtrace_id {trace})"
        now = self.clock()
        return Refusal(
            response.status_code,
            message,
            auth=code in _AUTH_CODES or 200 <= code < 300,
            rate_limited=code in _RATE_CODES or subcode == _PUBLISHING_LIMIT_SUBCODE,
            reset_at=regain_access(response.headers, now) or retry_after(response.headers, now),
            transient=bool(error.get("is_transient")) or code in _TRANSIENT_CODES,
        )

    async def post(self, path: str, fields: Mapping[str, str], *, mutating: bool = True) -> Json:
        """A Graph POST with form fields, as the documentation's examples send them."""
        return await self.json("POST", path, mutating=mutating, data={**fields, **self._token})

    async def get(self, path: str, **params: str) -> Json:
        return await self.json("GET", path, mutating=False, params={**params, **self._token})

    async def wait_until_ready(self, container_id: str, field: str) -> None:
        """Poll a media container until it is FINISHED (Instagram and Threads process media)."""
        for _ in range(_CONTAINER_POLLS):
            status = str((await self.get(f"/{container_id}", fields=field)).get(field, ""))
            if status in ("FINISHED", "PUBLISHED"):
                return
            if status in ("ERROR", "EXPIRED"):
                raise PermanentFailure(f"media container {container_id} is {status}")
            await asyncio.sleep(min(self.deadline_s / _CONTAINER_POLLS, 1.0))
        # The container is invisible until published: trying again later is safe.
        raise TransientFailure(f"media container {container_id} still processing")

    async def permalink(self, media_id: str) -> str:
        """The post's URL; a post that went out is reported even if this read fails."""
        try:
            return str((await self.get(f"/{media_id}", fields="permalink")).get("permalink", ""))
        except PublishError:
            return ""

    async def recent(
        self, edge: str, publication: OutgoingPublication, text: str, time: str, url: str
    ) -> list[Candidate]:
        """The account's posts on `edge` since shortly before the scheduled time."""
        since = str(int((publication.scheduled_at - CLOCK_SKEW).timestamp()))
        page = await self.get(edge, fields=f"id,{text},{time},{url}", since=since, limit="50")
        return [
            Candidate(
                str(p["id"]), str(p.get(text, "")), iso_time(p.get(time)), str(p.get(url, ""))
            )
            for p in page.get("data", [])
        ]


class FacebookPageAdapter(GraphApi):
    network = "facebook"

    async def publish(self, publication: OutgoingPublication) -> PublishedPost:
        single_part(publication, "Facebook")
        part = publication.parts[0]
        fields = {"message": part.text}
        # Photos are uploaded unpublished, then attached to the one feed post.
        for index, item in enumerate(part.media):
            if not item.mime_type.startswith("image/"):
                raise PermanentFailure(f"{item.url}: only images are supported on Facebook pages")
            # An unpublished photo is invisible: a lost answer is simply retried.
            photo = await self.post(
                f"/{self.object_id}/photos",
                {"url": public_url(item), "published": "false"},
                mutating=False,
            )
            fields[f"attached_media[{index}]"] = json.dumps({"media_fbid": str(photo["id"])})
        created = await self.post(f"/{self.object_id}/feed", fields)
        post_id = str(created["id"])
        if publication.first_comment:
            comment = self.post(f"/{post_id}/comments", {"message": publication.first_comment})
            await comment_after(post_id, comment)
        return PublishedPost(post_id, f"https://www.facebook.com/{post_id}", (post_id,))

    async def lookup(self, publication: OutgoingPublication) -> PublishedPost | None:
        candidates = await self.recent(
            f"/{self.object_id}/feed", publication, "message", "created_time", "permalink_url"
        )
        return found_post(candidates, publication)
