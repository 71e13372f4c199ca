"""What the inbox's tests share: the listener running with its consumers, the InboxService
client, and the other services' events as their producers would publish them."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime

from google.protobuf.timestamp_pb2 import Timestamp
from vigie.directory.v1 import events_pb2 as directory_events
from vigie.directory.v1 import resources_pb2 as directory
from vigie.listener.v1 import inbox_pb2 as rpc
from vigie.listener.v1 import inbox_pb2_grpc, listener_pb2_grpc
from vigie.listener.v1 import resources_pb2 as pb
from vigie.publisher.v1 import events_pb2 as publisher_events
from vigie.publisher.v1 import replies_pb2 as replies
from vigie.reputation.v1 import events_pb2 as reputation_events
from vigie.reputation.v1 import resources_pb2 as reputation
from vigie_runtime.grpc_client import bearer, open_channel
from vigie_runtime.principal import Role
from vigie_runtime.testing.events import publish_as_producer
from vigie_runtime.testing.services import serving
from vigie_runtime.testing.tokens import TestKeys
from vigie_runtime.testing.waiting import eventually

from vigie_listener.app.events import (
    CRISIS_OPENED,
    CRISIS_RESOLVED,
    MEMBER_CREATED,
    MENTION_SCORED,
    REPLY_PUBLISHED,
)
from vigie_listener.bootstrap import build
from vigie_listener.config import Settings
from vigie_listener.testing import FRANCE, TENANT, Listener, seed_brands

Metadata = tuple[tuple[str, str], ...]


@dataclass
class Inbox:
    listener: Listener
    stub: inbox_pb2_grpc.InboxServiceStub
    nats_url: str

    def as_role(
        self, role: Role, subsidiary: str | None = FRANCE, tenant: str = TENANT
    ) -> Metadata:
        subject = f"tenants/{tenant}/members/{role.value.replace('_', '')}"
        return bearer(self.listener.keys.token(tenant, (role, subsidiary), subject=subject))

    def admin(self, tenant: str = TENANT) -> Metadata:
        return self.listener.admin(tenant)

    async def items(
        self, parent: str, tenant: str = TENANT, **filters: object
    ) -> list[pb.InboxItem]:
        request = rpc.ListInboxItemsRequest(parent=parent, **filters)  # type: ignore[arg-type]
        answer = await self.stub.ListInboxItems(request, metadata=self.admin(tenant))
        return list(answer.inbox_items)

    async def item_of(self, parent: str, mention: str, tenant: str = TENANT) -> pb.InboxItem:
        """Waits until the mention's item is in the inbox, and returns it."""
        found: list[pb.InboxItem] = []

        async def arrived() -> bool:
            found[:] = [i for i in await self.items(parent, tenant) if i.mention == mention]
            return bool(found)

        await eventually(arrived)
        return found[0]

    async def get(self, name: str, tenant: str = TENANT) -> pb.InboxItem:
        request = rpc.GetInboxItemRequest(name=name)
        item: pb.InboxItem = await self.stub.GetInboxItem(request, metadata=self.admin(tenant))
        return item


@asynccontextmanager
async def inbox_running(settings: Settings, keys: TestKeys) -> AsyncIterator[Inbox]:
    async with (
        serving(build(settings), mode="all") as host,
        open_channel(f"127.0.0.1:{host.grpc_port}") as channel,
    ):
        await seed_brands(settings.database_url)
        listener = Listener(
            listener_pb2_grpc.ListenerServiceStub(channel), keys, settings.database_url
        )
        yield Inbox(listener, inbox_pb2_grpc.InboxServiceStub(channel), settings.platform.nats_url)


def stamp(moment: datetime) -> Timestamp:
    result = Timestamp()
    result.FromDatetime(moment)
    return result


async def send_member(
    nats_url: str, tenant: str, member_id: str, subsidiaries: list[str | None]
) -> str:
    """The directory's `member.created`: roles in these subsidiaries (None: group-wide)."""
    member = directory.Member(
        name=f"tenants/{tenant}/members/{member_id}",
        roles=[
            directory.RoleGrant(role=directory.ROLE_COMMUNITY_MANAGER, subsidiary=s or "")
            for s in subsidiaries
        ],
    )
    message = directory_events.MemberChanged(member=member)
    await publish_as_producer(nats_url, MEMBER_CREATED, tenant, message)
    return member.name


async def send_scored(
    nats_url: str,
    tenant: str,
    mention: str,
    label: reputation.SentimentLabel.ValueType,
    event_id: str = "",
) -> str:
    sentiment = reputation.MentionSentiment(
        name=f"{mention}/sentiment",
        mention=mention,
        label=label,
        confidence=0.9,
    )
    brand = mention.rsplit("/mentions/", 1)[0]
    message = reputation_events.MentionScored(sentiment=sentiment, brand=brand)
    return await publish_as_producer(nats_url, MENTION_SCORED, tenant, message, event_id)


async def send_crisis(nats_url: str, tenant: str, crisis: str, opened: bool) -> None:
    brand = crisis.rsplit("/crises/", 1)[0]
    if opened:
        status = reputation.CRISIS_STATUS_OPENED
        message = reputation_events.CrisisOpened(
            crisis=reputation.Crisis(name=crisis, brand=brand, status=status)
        )
        await publish_as_producer(nats_url, CRISIS_OPENED, tenant, message)
    else:
        status = reputation.CRISIS_STATUS_RESOLVED
        resolved = reputation_events.CrisisResolved(
            crisis=reputation.Crisis(name=crisis, brand=brand, status=status)
        )
        await publish_as_producer(nats_url, CRISIS_RESOLVED, tenant, resolved)


async def send_reply(
    nats_url: str, tenant: str, item: pb.InboxItem, author: str, when: datetime, event_id: str = ""
) -> str:
    reply = replies.Reply(name=f"{item.brand}/replies/01reply{when.strftime('%H%M%S')}")
    message = publisher_events.ReplyPublished(
        reply=reply, mention=item.mention, inbox_item=item.name, author=author,
        publish_time=stamp(when.astimezone(UTC)),
    )  # fmt: skip
    return await publish_as_producer(nats_url, REPLY_PUBLISHED, tenant, message, event_id)
