"""Publish to LinkedIn through the versioned Posts API (`POST /rest/posts`).

The new post's URN comes back in the `x-restli-id` header. Text goes in LinkedIn's "little text"
format, where reserved characters are escaped and hashtags are templates. Images are uploaded
with the Images API (`initializeUpload`, then a PUT of the bytes). LinkedIn has no threads and no
idempotency key: `lookup` lists the author's recent posts (the `author` finder) and matches texts.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime, time, timedelta
from urllib.parse import quote

import httpx

from vigie_publisher.domain.publishing import (
    AccountCredentials,
    MediaItem,
    OutcomeUnknown,
    OutgoingPublication,
    PermanentFailure,
    PublishedPost,
)

from ._http import (
    Candidate,
    Clock,
    HttpApi,
    Json,
    Refusal,
    comment_after,
    found_post,
    json_body,
    retry_after,
    single_part,
    utc_now,
)

API = "https://api.linkedin.com"
VERSION = "202510"
_RESERVED = re.compile(r"([\\|{}@\[\]()<>#*_~])")
_HASHTAG_TEMPLATE = re.compile(r"\{hashtag\|\\#\|([^}]*)\}")
_ESCAPED = re.compile(r"\\(.)")


def little_text(text: str) -> str:
    """`text` in LinkedIn's commentary format: reserved characters escaped, hashtags linked."""
    escaped = _RESERVED.sub(r"\\\1", text)
    return re.sub(r"\\#(\w+)", lambda m: "{hashtag|\\#|" + m.group(1) + "}", escaped)


def plain_text(commentary: str) -> str:
    """The text a commentary shows: the inverse of `little_text`."""
    return _ESCAPED.sub(r"\1", _HASHTAG_TEMPLATE.sub(r"#\1", commentary))


def next_midnight(now: datetime) -> datetime:
    """LinkedIn's daily limits reset at midnight UTC."""
    return datetime.combine(now.astimezone(UTC).date() + timedelta(days=1), time(), UTC)


class LinkedInAdapter(HttpApi):
    network = "linkedin"

    def __init__(
        self,
        credentials: AccountCredentials,
        *,
        author_urn: str,
        version: str = VERSION,
        deadline_s: float = 10.0,
        clock: Clock = utc_now,
        http: httpx.AsyncClient | None = None,
    ) -> None:
        super().__init__(
            credentials.instance_url or API,
            headers={
                "Authorization": f"Bearer {credentials.access_token}",
                "LinkedIn-Version": version,
                "X-Restli-Protocol-Version": "2.0.0",
            },
            deadline_s=deadline_s,
            clock=clock,
            http=http,
        )
        self.author_urn = author_urn

    def refusal(self, response: httpx.Response) -> Refusal:
        # {"status": 422, "serviceErrorCode": 100, "code": "...", "message": "..."}
        body = json_body(response)
        message = str(body.get("message") or response.text[:300])
        if code := body.get("serviceErrorCode"):
            message = f"{message} (serviceErrorCode {code})"
        now = self.clock()
        reset = retry_after(response.headers, now)
        if response.status_code == 429 and reset is None:
            reset = next_midnight(now)
        return Refusal(response.status_code, message, reset_at=reset)

    async def publish(self, publication: OutgoingPublication) -> PublishedPost:
        single_part(publication, "LinkedIn")
        part = publication.parts[0]
        body: Json = {
            "author": self.author_urn,
            "commentary": little_text(part.text),
            "visibility": "PUBLIC",
            "distribution": {
                "feedDistribution": "MAIN_FEED",
                "targetEntities": [],
                "thirdPartyDistributionChannels": [],
            },
            "lifecycleState": "PUBLISHED",
            "isReshareDisabledByAuthor": False,
        }
        if content := await self._content(part.media):
            body["content"] = content
        response = await self.call("POST", "/rest/posts", mutating=True, json=body)
        urn = response.headers.get("x-restli-id", "")
        if not urn:
            # The post exists but we cannot name it: let `lookup` find it.
            raise OutcomeUnknown("LinkedIn accepted the post without an x-restli-id header")
        if publication.first_comment:
            await comment_after(urn, self._comment(urn, publication.first_comment))
        return PublishedPost(urn, f"https://www.linkedin.com/feed/update/{urn}", (urn,))

    async def _content(self, media: Sequence[MediaItem]) -> Json | None:
        images = [{"id": await self._upload(m), "altText": m.alt_text} for m in media]
        if not images:
            return None
        return {"media": images[0]} if len(images) == 1 else {"multiImage": {"images": images}}

    async def _upload(self, item: MediaItem) -> str:
        if not item.mime_type.startswith("image/"):
            raise PermanentFailure(f"{item.url}: only images are supported on LinkedIn yet")
        request = {"initializeUploadRequest": {"owner": self.author_urn}}
        # An uploaded image is invisible until a post uses it: a lost answer is retried.
        started = await self.json(
            "POST", "/rest/images?action=initializeUpload", mutating=False, json=request
        )
        upload_url, image_urn = started["value"]["uploadUrl"], started["value"]["image"]
        await self.call("PUT", upload_url, mutating=False, content=await self.media_bytes(item))
        return str(image_urn)

    async def _comment(self, urn: str, text: str) -> Json:
        body = {"actor": self.author_urn, "object": urn, "message": {"text": little_text(text)}}
        path = f"/rest/socialActions/{quote(urn, safe='')}/comments"
        return await self.json("POST", path, mutating=True, json=body)

    async def lookup(self, publication: OutgoingPublication) -> PublishedPost | None:
        params = {"author": self.author_urn, "q": "author", "count": "50", "sortBy": "CREATED"}
        page = await self.json(
            "GET",
            "/rest/posts",
            mutating=False,
            params=params,
            headers={"X-RestLi-Method": "FINDER"},
        )
        candidates = [
            Candidate(
                str(p["id"]),
                plain_text(str(p.get("commentary", ""))),
                datetime.fromtimestamp(int(p["createdAt"]) / 1000, UTC)
                if "createdAt" in p
                else None,
                f"https://www.linkedin.com/feed/update/{p['id']}",
            )
            for p in page.get("elements", [])
        ]
        return found_post(candidates, publication)
