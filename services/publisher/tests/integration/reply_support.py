"""Mentions put in the inbox (as the listener's `inbox.item_opened`), and saved replies."""

from collections.abc import Callable
from datetime import UTC, datetime

from vigie.listener.v1 import events_pb2 as listener_events
from vigie.listener.v1 import resources_pb2 as listener
from vigie.publisher.v1 import replies_pb2 as rp
from vigie_publisher.app import saved_replies
from vigie_publisher.entrypoints.nats.inbox import ITEM_OPENED, on_inbox_event
from vigie_runtime.events import IncomingEvent, cloudevent_headers
from vigie_runtime.ids import new_id
from vigie_runtime.principal import Role
from vigie_runtime.uow import UnitOfWork

from .conftest import BRAND_NAME, FRANCE, TENANT, person

MANAGER = person(Role.SOCIAL_MEDIA_MANAGER, "manager")
COMMUNITY = person(Role.COMMUNITY_MANAGER, "community")


def item_opened(
    mention_id: str,
    *,
    language: str = "fr",
    followers: int = 10,
    external_id: str = "at://did:plc:alice/app.bsky.feed.post/3abc",
    kind: int = listener.SOURCE_KIND_BLUESKY,
    tenant: str = TENANT,
    brand: str = BRAND_NAME,
) -> IncomingEvent:
    brand = brand.replace(f"tenants/{TENANT}/", f"tenants/{tenant}/")
    mention = listener.Mention(
        name=f"{brand}/mentions/{mention_id}",
        brand=brand,
        source_kind=kind,  # type: ignore[arg-type]
        external_id=external_id,
        url="https://bsky.app/profile/alice/post/3abc",
        text="Quand rouvre le magasin ?",
        language=language,
        author=listener.MentionAuthor(handle="@alice", followers_count=followers),
    )
    item = listener.InboxItem(
        name=f"{brand}/inboxItems/i{mention_id}", mention=mention.name, brand=brand
    )
    message = listener_events.InboxItemOpened(item=item, mention=mention, subsidiary=FRANCE)
    headers = cloudevent_headers(
        new_id(), ITEM_OPENED.ce_type, "listener", tenant, datetime.now(UTC)
    )
    return IncomingEvent.from_nats(
        ITEM_OPENED.subject(tenant), headers, message.SerializeToString()
    )


async def deliver(uow: Callable[[], UnitOfWork], event: IncomingEvent) -> None:
    async with uow() as u:
        await on_inbox_event(u, event)
        await u.commit()


def greeting() -> rp.SavedReply:
    return rp.SavedReply(
        display_name="Store hours",
        variants=[
            rp.SavedReplyVariant(language="en", text="Hi {{name}}, we open at {{hour}}."),
            rp.SavedReplyVariant(language="fr", text="Bonjour {{name}}, on ouvre à {{hour}}."),
        ],
        default_language="en",
    )


async def saved_greeting(uow: Callable[[], UnitOfWork]) -> str:
    async with uow() as u:
        row = await saved_replies.create(u, MANAGER, BRAND_NAME, greeting(), "")
        await u.commit()
    return f"{BRAND_NAME}/savedReplies/{row.id}"
