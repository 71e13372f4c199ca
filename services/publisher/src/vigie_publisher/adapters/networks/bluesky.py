"""Publish to Bluesky through a PDS's XRPC API, exactly once.

Each part of a publication is created with `com.atproto.repo.createRecord` under a record key
derived from the publication's idempotency key and scheduled time, so a retried create is refused
by the PDS and the record already there is read back and reported instead of posting twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import httpx

from vigie_publisher.adapters.networks.bluesky_xrpc import (
    Json,
    StrongRef,
    XrpcSession,
    record_key,
)
from vigie_publisher.adapters.networks.media_source import is_web, local_media, refused_address
from vigie_publisher.domain.publishing import (
    MediaItem,
    OutcomeUnknown,
    OutgoingPublication,
    PermanentFailure,
    PostPart,
    PublishedPost,
    TransientFailure,
)
from vigie_publisher.domain.text.bluesky import Facet, LinkFacet, MentionFacet, detect_facets

POST_COLLECTION = "app.bsky.feed.post"


@dataclass(frozen=True)
class BlueskyPost:
    """One created (or found) record: what the contract's `PublishedPost` is built from."""

    uri: str
    cid: str
    rkey: str
    already_existed: bool = False


class BlueskyAdapter:
    """The `NetworkAdapter` for Bluesky; use as `async with BlueskyAdapter(...) as bluesky:`."""

    network = "bluesky"

    def __init__(
        self,
        pds_url: str,
        identifier: str,
        app_password: str,
        *,
        timeout_s: float = 10.0,
        transport: httpx.AsyncBaseTransport | None = None,
        allow_local_media: bool = False,
    ) -> None:
        # The PDS and the media are addresses the tenant chose: `transport` is the outbound guard.
        self._http = httpx.AsyncClient(base_url=pds_url, timeout=timeout_s, transport=transport)
        self._allow_local_media = allow_local_media
        self.session = XrpcSession(self._http, identifier, app_password)

    async def __aenter__(self) -> BlueskyAdapter:
        try:
            await self.session.login()
        except BaseException:
            await self._http.aclose()
            raise
        return self

    async def __aexit__(self, *_: object) -> None:
        await self._http.aclose()

    async def publish(self, publication: OutgoingPublication) -> PublishedPost:
        return self._as_published(await self.publish_parts(publication))

    async def lookup(self, publication: OutgoingPublication) -> PublishedPost | None:
        """The parts already there, if the first is: to settle an `OutcomeUnknown`."""
        found = await self.lookup_parts(publication)
        if not found or found[0] is None:
            return None
        return self._as_published([post for post in found if post is not None])

    async def lookup_parts(self, publication: OutgoingPublication) -> list[BlueskyPost | None]:
        found: list[BlueskyPost | None] = []
        for index in range(len(publication.parts)):
            rkey = record_key(publication.idempotency_key, publication.scheduled_at, index)
            existing = await self.session.get_record(self._uri(rkey))
            found.append(existing and BlueskyPost(existing[0].uri, existing[0].cid, rkey, True))
        return found

    async def publish_parts(self, publication: OutgoingPublication) -> list[BlueskyPost]:
        """Create every part not yet there, chaining a thread by root and parent references."""
        root = parent = None
        if publication.in_reply_to:
            root, parent = await self._reply_target(publication.in_reply_to)
        langs = [publication.language] if publication.language else []
        published: list[BlueskyPost] = []
        for index, part in enumerate(publication.parts):
            rkey = record_key(publication.idempotency_key, publication.scheduled_at, index)
            reply = (
                {"root": root.as_json(), "parent": parent.as_json()} if root and parent else None
            )
            post = await self._create_once(rkey, await self._record(part, langs, reply))
            published.append(post)
            parent = StrongRef(post.uri, post.cid)
            root = root or parent
        return published

    async def get_post(self, uri: str) -> tuple[StrongRef, Json] | None:
        return await self.session.get_record(uri)

    def _uri(self, rkey: str) -> str:
        return f"at://{self.session.did}/{POST_COLLECTION}/{rkey}"

    def _as_published(self, posts: Sequence[BlueskyPost]) -> PublishedPost:
        url = f"https://bsky.app/profile/{self.session.handle}/post/{posts[0].rkey}"
        return PublishedPost(posts[0].uri, url, tuple(post.uri for post in posts))

    async def _reply_target(self, uri: str) -> tuple[StrongRef, StrongRef]:
        """(root, parent) for a reply to `uri`: its own root if it is itself a reply."""
        found = await self.session.get_record(uri)
        if found is None:
            raise PermanentFailure(f"cannot reply: no post at {uri}")
        parent, value = found
        root = value.get("reply", {}).get("root")
        return (StrongRef(root["uri"], root["cid"]) if root else parent), parent

    async def _create_once(self, rkey: str, record: Json) -> BlueskyPost:
        body = {
            "repo": self.session.did,
            "collection": POST_COLLECTION,
            "rkey": rkey,
            "record": record,
        }
        try:
            created = await self.session.call("POST", "com.atproto.repo.createRecord", json=body)
            return BlueskyPost(str(created["uri"]), str(created["cid"]), rkey)
        except (PermanentFailure, TransientFailure, OutcomeUnknown):
            # A refused duplicate is how a retry learns that it had already succeeded.
            existing = await self.session.get_record(self._uri(rkey))
            if existing is None:
                raise
            return BlueskyPost(existing[0].uri, existing[0].cid, rkey, already_existed=True)

    async def _record(self, part: PostPart, langs: list[str], reply: Json | None) -> Json:
        now = datetime.now(UTC)
        record: Json = {
            "$type": POST_COLLECTION,
            "text": part.text,
            "createdAt": now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}Z",
        }
        if facets := await self._facets(detect_facets(part.text)):
            record["facets"] = facets
        if langs:
            record["langs"] = langs
        if reply:
            record["reply"] = reply
        if part.media:
            images = [{"alt": m.alt_text, "image": await self._upload(m)} for m in part.media]
            record["embed"] = {"$type": "app.bsky.embed.images", "images": images}
        return record

    async def _upload(self, media: MediaItem) -> Json:
        headers = {"Content-Type": media.mime_type}
        uploaded = await self.session.call(
            "POST", "com.atproto.repo.uploadBlob", content=await self._bytes(media), headers=headers
        )
        return dict(uploaded["blob"])

    async def _bytes(self, media: MediaItem) -> bytes:
        """The media's bytes, from its HTTP(S) URL (a local file in contract tests)."""
        if not is_web(media.url):
            return await local_media(media.url, allow_local_media=self._allow_local_media)
        try:
            response = await self._http.get(media.url)
        except httpx.TransportError as exc:
            raise refused_address(exc, f"media {media.url}") or TransientFailure(
                f"media {media.url}: {exc!r}"
            ) from exc
        if not response.is_success:
            raise PermanentFailure(f"media {media.url}: HTTP {response.status_code}")
        return response.content

    async def _facets(self, found: Sequence[Facet]) -> list[Json]:
        facets = []
        for facet in found:
            feature = await self._feature(facet)
            if feature is not None:  # a handle nobody answers for stays plain text
                index = {"byteStart": facet.index.byte_start, "byteEnd": facet.index.byte_end}
                facets.append({"index": index, "features": [feature]})
        return facets

    async def _feature(self, facet: Facet) -> Json | None:
        if isinstance(facet, LinkFacet):
            return {"$type": "app.bsky.richtext.facet#link", "uri": facet.uri}
        if isinstance(facet, MentionFacet):
            did = await self.session.resolve_handle(facet.handle)
            return {"$type": "app.bsky.richtext.facet#mention", "did": did} if did else None
        return {"$type": "app.bsky.richtext.facet#tag", "tag": facet.tag}
