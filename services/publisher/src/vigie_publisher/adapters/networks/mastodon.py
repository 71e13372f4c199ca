"""Publish to a Mastodon instance through its REST API, exactly once.

Every status is created with an `Idempotency-Key` derived from the publication's key, so a
retried create within the instance's retention (an hour) returns the status already created.
Past that window, `lookup` reads the account's recent statuses. Limits (characters, media count
and sizes) come from the instance itself (`GET /api/v2/instance`, falling back to v1).
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass

import httpx

from vigie_publisher.domain.publishing import (
    AccountCredentials,
    MediaItem,
    OutgoingPublication,
    PermanentFailure,
    PostPart,
    PublishedPost,
    TransientFailure,
)

from ._http import (
    Candidate,
    Clock,
    HttpApi,
    Json,
    Refusal,
    comment_after,
    found_post,
    iso_time,
    json_body,
    publish_chain,
    retry_after,
    utc_now,
)

# Mastodon counts every link as 23 characters, whatever its length.
_URL = re.compile(r"https?://\S+")
_URL_WEIGHT = 23
_MENTION_DOMAIN = re.compile(r"(@\w+)@[\w.-]+\w")
_AUTH_WORDS = ("access token", "token is invalid", "was revoked", "expired")
# How many times to ask whether an uploaded medium has finished processing.
_MEDIA_POLLS = 20


@dataclass(frozen=True)
class InstanceLimits:
    max_characters: int = 500
    max_media: int = 4
    image_size_limit: int = 16 * 1024 * 1024
    video_size_limit: int = 99 * 1024 * 1024


def status_length(text: str) -> int:
    """Mastodon's count: every link is 23 characters, a remote mention counts its username only."""
    return len(_MENTION_DOMAIN.sub(r"\1", _URL.sub("x" * _URL_WEIGHT, text)))


def part_key(idempotency_key: str, index: int) -> str:
    """The key of one status: the publication's own for the first, a derived one after."""
    return idempotency_key if index == 0 else f"{idempotency_key}/{index}"


class MastodonAdapter(HttpApi):
    network = "mastodon"

    def __init__(
        self,
        credentials: AccountCredentials,
        *,
        deadline_s: float = 10.0,
        clock: Clock = utc_now,
        http: httpx.AsyncClient | None = None,
    ) -> None:
        if not credentials.instance_url:
            raise ValueError("a Mastodon account needs its instance_url")
        super().__init__(
            credentials.instance_url,
            headers={"Authorization": f"Bearer {credentials.access_token}"},
            deadline_s=deadline_s,
            clock=clock,
            http=http,
        )
        self._limits: InstanceLimits | None = None
        self._account_id = ""

    def refusal(self, response: httpx.Response) -> Refusal:
        # Mastodon's error entity: {"error": "...", "error_description": "..."}.
        body = json_body(response)
        message = str(body.get("error") or response.text[:300])
        if description := body.get("error_description"):
            message = f"{message}: {description}"
        reset = iso_time(response.headers.get("x-ratelimit-reset"))
        return Refusal(
            response.status_code,
            message,
            auth=response.status_code == 403 and any(w in message for w in _AUTH_WORDS),
            reset_at=reset or retry_after(response.headers, self.clock()),
        )

    async def limits(self) -> InstanceLimits:
        """The instance's own limits, read once per adapter."""
        if self._limits is None:
            try:
                self._limits = _limits_v2(
                    await self.json("GET", "/api/v2/instance", mutating=False)
                )
            except PermanentFailure:  # an instance older than 4.0 has only v1
                self._limits = _limits_v1(
                    await self.json("GET", "/api/v1/instance", mutating=False)
                )
        return self._limits

    async def publish(self, publication: OutgoingPublication) -> PublishedPost:
        limits = await self.limits()
        for index, part in enumerate(publication.parts):
            _check(part, index, limits)

        async def create(index: int, part: PostPart, reply_to: str) -> tuple[str, str]:
            media_ids = [await self._upload(item) for item in part.media]
            key = part_key(publication.idempotency_key, index)
            status = await self._create(part.text, key, reply_to, media_ids, publication.language)
            return str(status["id"]), str(status.get("url") or "")

        reply_to = await self.status_id(publication.in_reply_to)
        published = await publish_chain(publication.parts, reply_to, create)
        first_id, first_url = published[0]
        if publication.first_comment:
            key = f"{publication.idempotency_key}/first-comment"
            comment = self._create(
                publication.first_comment, key, first_id, [], publication.language
            )
            await comment_after(first_id, comment)
        return PublishedPost(first_id, first_url, tuple(i for i, _ in published))

    async def status_id(self, reference: str) -> str:
        """This instance's id of the status to reply to: `reference` is an id already, or the
        status's URL (its own, or another instance's), resolved with `GET /api/v2/search`
        (`resolve=true` fetches a remote status into the instance, as the docs describe)."""
        if not reference or reference.isdigit():
            return reference
        params = {"q": reference, "type": "statuses", "resolve": "true", "limit": "1"}
        found = await self.json("GET", "/api/v2/search", mutating=False, params=params)
        statuses = found.get("statuses") or []
        if not statuses:
            raise PermanentFailure(f"cannot reply: the instance finds no status at {reference}")
        return str(statuses[0]["id"])

    async def _create(
        self, text: str, key: str, reply_to: str, media_ids: list[str], language: str
    ) -> Json:
        body: Json = {"status": text, "visibility": "public"}
        if reply_to:
            body["in_reply_to_id"] = reply_to
        if media_ids:
            body["media_ids"] = media_ids
        if language:
            body["language"] = language
        headers = {"Idempotency-Key": key}
        return await self.json(
            "POST", "/api/v1/statuses", mutating=True, json=body, headers=headers
        )

    async def _upload(self, item: MediaItem) -> str:
        """`POST /api/v2/media`; a 202 means still processing: wait until it has a URL."""
        files = {"file": ("media", await self.media_bytes(item), item.mime_type)}
        data = {"description": item.alt_text} if item.alt_text else {}
        # An attachment is invisible until a status uses it: a lost answer is simply retried.
        response = await self.call("POST", "/api/v2/media", mutating=False, files=files, data=data)
        attachment = response.json()
        for _ in range(_MEDIA_POLLS):
            if response.status_code == 200 and attachment.get("url"):
                return str(attachment["id"])
            await asyncio.sleep(min(self.deadline_s / _MEDIA_POLLS, 1.0))
            response = await self.call("GET", f"/api/v1/media/{attachment['id']}", mutating=False)
            attachment = response.json()
        # Nothing is published yet: trying again later is safe.
        raise TransientFailure(
            f"media {attachment['id']} still processing after {_MEDIA_POLLS} checks"
        )

    async def lookup(self, publication: OutgoingPublication) -> PublishedPost | None:
        if not self._account_id:
            me = await self.json("GET", "/api/v1/accounts/verify_credentials", mutating=False)
            self._account_id = str(me["id"])
        params = {"limit": "40", "exclude_reblogs": "true"}
        response = await self.call(
            "GET", f"/api/v1/accounts/{self._account_id}/statuses", mutating=False, params=params
        )
        candidates = [
            Candidate(
                str(s["id"]),
                str(s.get("content", "")),
                iso_time(s.get("created_at")),
                str(s.get("url") or ""),
            )
            for s in response.json()
        ]
        return found_post(candidates, publication)


def _check(part: PostPart, index: int, limits: InstanceLimits) -> None:
    """Refuse before sending what the instance would refuse, saying which part is at fault."""
    if (length := status_length(part.text)) > limits.max_characters:
        raise PermanentFailure(
            f"part {index + 1}: {length} characters, this instance allows {limits.max_characters}"
        )
    if len(part.media) > limits.max_media:
        raise PermanentFailure(f"part {index + 1}: at most {limits.max_media} media")
    for item in part.media:
        limit = (
            limits.video_size_limit
            if item.mime_type.startswith("video/")
            else (limits.image_size_limit)
        )
        if item.size_bytes > limit:
            raise PermanentFailure(f"part {index + 1}: {item.url} is over {limit} bytes")


def _limits_v2(instance: Json) -> InstanceLimits:
    config = instance.get("configuration", {})
    statuses, media = config.get("statuses", {}), config.get("media_attachments", {})
    default = InstanceLimits()
    return InstanceLimits(
        max_characters=int(statuses.get("max_characters", default.max_characters)),
        max_media=int(statuses.get("max_media_attachments", default.max_media)),
        image_size_limit=int(media.get("image_size_limit", default.image_size_limit)),
        video_size_limit=int(media.get("video_size_limit", default.video_size_limit)),
    )


def _limits_v1(instance: Json) -> InstanceLimits:
    # v1 keeps the same `configuration` block (since 3.4.2); older ones had `max_toot_chars`.
    limits = _limits_v2(instance)
    if "configuration" not in instance and "max_toot_chars" in instance:
        return InstanceLimits(max_characters=int(instance["max_toot_chars"]))
    return limits
