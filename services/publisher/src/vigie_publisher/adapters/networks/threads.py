"""Publish to Threads: a media container (`POST /{threads-user-id}/threads`), then
`POST /{threads-user-id}/threads_publish`. A thread of several parts is a chain of replies
(`reply_to_id`), the first comment a reply to the first part.

Threads has no idempotency key: `lookup` reads the account's recent threads and replies.
"""

from __future__ import annotations

from vigie_publisher.domain.publishing import (
    MediaItem,
    OutgoingPublication,
    PermanentFailure,
    PostPart,
    PublishedPost,
)

from ._http import comment_after, found_post, publish_chain
from .facebook import GraphApi, public_url

THREADS_API = "https://graph.threads.net"
THREADS_VERSION = "v1.0"
MAX_CAROUSEL = 20


class ThreadsAdapter(GraphApi):
    network = "threads"
    api, version = THREADS_API, THREADS_VERSION

    async def publish(self, publication: OutgoingPublication) -> PublishedPost:
        async def create(_: int, part: PostPart, reply_to: str) -> tuple[str, str]:
            return await self._publish_one(part, reply_to), ""

        published = await publish_chain(publication.parts, publication.in_reply_to, create)
        first_id = published[0][0]
        if publication.first_comment:
            comment = self._publish_one(PostPart(publication.first_comment), first_id)
            await comment_after(first_id, comment)
        return PublishedPost(
            first_id, await self.permalink(first_id), tuple(i for i, _ in published)
        )

    async def _publish_one(self, part: PostPart, reply_to: str) -> str:
        if len(part.media) > MAX_CAROUSEL:
            raise PermanentFailure(f"a carousel holds at most {MAX_CAROUSEL} items")
        fields = {"text": part.text} if part.text else {}
        if reply_to:
            fields["reply_to_id"] = reply_to
        if not part.media:
            container = await self._container({**fields, "media_type": "TEXT"})
        elif len(part.media) == 1:
            container = await self._container({**fields, **_media_fields(part.media[0])})
        else:
            items = [
                await self._container({**_media_fields(m), "is_carousel_item": "true"})
                for m in part.media
            ]
            carousel = {"media_type": "CAROUSEL", "children": ",".join(items)}
            container = await self._container({**fields, **carousel})
        await self.wait_until_ready(container, "status")
        published = await self.post(
            f"/{self.object_id}/threads_publish", {"creation_id": container}
        )
        return str(published["id"])

    async def _container(self, fields: dict[str, str]) -> str:
        # A container is invisible until published: a lost answer is retried, not reconciled.
        return str((await self.post(f"/{self.object_id}/threads", fields, mutating=False))["id"])

    async def lookup(self, publication: OutgoingPublication) -> PublishedPost | None:
        # The first part is a thread; the following ones are the account's own replies.
        threads = await self.recent(
            f"/{self.object_id}/threads", publication, "text", "timestamp", "permalink"
        )
        if len(publication.parts) > 1:
            threads += await self.recent(
                f"/{self.object_id}/replies", publication, "text", "timestamp", "permalink"
            )
        return found_post(threads, publication)


def _media_fields(item: MediaItem) -> dict[str, str]:
    if item.mime_type.startswith("image/"):
        fields = {"media_type": "IMAGE", "image_url": public_url(item)}
    elif item.mime_type.startswith("video/"):
        fields = {"media_type": "VIDEO", "video_url": public_url(item)}
    else:
        raise PermanentFailure(f"{item.url}: Threads takes images and videos only")
    if item.alt_text:
        fields["alt_text"] = item.alt_text
    return fields
