"""Publish to an Instagram professional account through the Graph API's container flow.

`POST /{ig-user-id}/media` creates a container (one per image or video, plus a CAROUSEL container
over them when there are several), `POST /{ig-user-id}/media_publish` publishes it. Containers are
invisible until published and expire after a day, so only `media_publish` can leave an unknown
outcome; `lookup` then lists the account's media and matches the caption.
"""

from __future__ import annotations

from vigie_publisher.domain.publishing import (
    MediaItem,
    OutgoingPublication,
    PermanentFailure,
    PublishedPost,
)

from ._http import comment_after, found_post, single_part
from .facebook import GraphApi, public_url

MAX_CAROUSEL = 10


class InstagramAdapter(GraphApi):
    network = "instagram"

    async def publish(self, publication: OutgoingPublication) -> PublishedPost:
        single_part(publication, "Instagram")
        part = publication.parts[0]
        if not part.media:
            raise PermanentFailure("Instagram needs at least one image or video")
        if len(part.media) > MAX_CAROUSEL:
            raise PermanentFailure(f"a carousel holds at most {MAX_CAROUSEL} items")
        if len(part.media) == 1:
            container = await self._container(part.media[0], caption=part.text)
        else:
            children = [await self._container(item, carousel_item=True) for item in part.media]
            container = await self._create(
                media_type="CAROUSEL", children=",".join(children), caption=part.text
            )
        await self.wait_until_ready(container, "status_code")
        published = await self.post(f"/{self.object_id}/media_publish", {"creation_id": container})
        media_id = str(published["id"])
        if publication.first_comment:
            comment = self.post(f"/{media_id}/comments", {"message": publication.first_comment})
            await comment_after(media_id, comment)
        return PublishedPost(media_id, await self.permalink(media_id), (media_id,))

    async def _container(
        self, item: MediaItem, *, caption: str = "", carousel_item: bool = False
    ) -> str:
        fields: dict[str, str] = {}
        if item.mime_type.startswith("video/"):
            fields = {
                "media_type": "VIDEO" if carousel_item else "REELS",
                "video_url": public_url(item),
            }
        elif item.mime_type.startswith("image/"):
            fields = {"image_url": public_url(item)}
            if item.alt_text:
                fields["alt_text"] = item.alt_text
        else:
            raise PermanentFailure(f"{item.url}: Instagram takes images and videos only")
        if carousel_item:
            fields["is_carousel_item"] = "true"
        if caption:
            fields["caption"] = caption
        container = await self._create(**fields)
        if item.mime_type.startswith("video/"):
            await self.wait_until_ready(container, "status_code")
        return container

    async def _create(self, **fields: str) -> str:
        # An unpublished container is invisible: a lost answer is retried, not reconciled.
        return str((await self.post(f"/{self.object_id}/media", fields, mutating=False))["id"])

    async def lookup(self, publication: OutgoingPublication) -> PublishedPost | None:
        candidates = await self.recent(
            f"/{self.object_id}/media", publication, "caption", "timestamp", "permalink"
        )
        return found_post(candidates, publication)
