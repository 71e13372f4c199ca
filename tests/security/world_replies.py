"""The publisher's replies for one subsidiary's brand: the scope's mention opened in the inbox
(the listener's `inbox.item_opened`, sent on NATS as the listener does), a saved reply, and a
reply to the mention from it."""

from datetime import UTC, datetime
from typing import Any

import nats
from vigie.listener.v1 import events_pb2 as listener_events
from vigie.listener.v1 import resources_pb2 as lres
from vigie.publisher.v1 import replies_pb2 as rp
from vigie_runtime.events import EventType, cloudevent_headers
from vigie_runtime.ids import new_id
from vigie_runtime.nats_connection import ensure_stream

from tests.security.world import Scope, Seeder, until_known

ITEM_OPENED = EventType("listener", "inbox", "item_opened", listener_events.InboxItemOpened)


async def open_in_inbox(seed: Seeder, scope: Scope, brand: str, sub: str) -> str:
    """A Bluesky mention of the brand opened in the inbox (the scope's own mention came from a
    partner: nothing a reply can answer on a network); the mention's name."""
    mention = lres.Mention(
        name=f"{brand}/mentions/{new_id()}", brand=brand, source_kind=lres.SOURCE_KIND_BLUESKY,
        external_id=f"at://did:plc:{scope.marker.lower()}/app.bsky.feed.post/3q", language="en",
        author=lres.MentionAuthor(handle=f"@{scope.marker}.test", followers_count=100),
    )  # fmt: skip
    item = lres.InboxItem(name=f"{brand}/inboxItems/{new_id()}", mention=mention.name, brand=brand)
    payload = listener_events.InboxItemOpened(item=item, mention=mention, subsidiary=sub)
    tenant, event_id = scope.tenant.removeprefix("tenants/"), new_id()
    headers = cloudevent_headers(
        event_id, ITEM_OPENED.ce_type, "listener", tenant, datetime.now(UTC)
    )
    connection = await nats.connect(seed.platform.directory.platform.nats_url)
    try:
        js = connection.jetstream()
        await ensure_stream(js, "listener")
        await js.publish(
            ITEM_OPENED.subject(tenant),
            payload.SerializeToString(),
            headers={**headers, "Nats-Msg-Id": event_id},
        )
    finally:
        await connection.close()
    return str(mention.name)


async def reply_kinds(seed: Seeder, scope: Scope, admin: Any, brand: str, sub: str) -> None:
    mention = await open_in_inbox(seed, scope, brand, sub)
    saved = await seed.publisher.CreateSavedReply(
        rp.CreateSavedReplyRequest(parent=brand, saved_reply=rp.SavedReply(
            display_name=f"Saved {scope.marker}",
            variants=[rp.SavedReplyVariant(language="en", text=f"Thanks {{{{name}}}} {scope.marker}")],
        )),
        metadata=admin,
    )  # fmt: skip
    scope.add("savedReplies", saved.name)
    reply = await until_known(lambda: seed.publisher.CreateReply(
        rp.CreateReplyRequest(parent=brand, in_reply_to=mention, saved_reply=saved.name,
                              variables={"name": scope.marker}),
        metadata=admin))  # fmt: skip
    scope.add("replies", reply.name)
