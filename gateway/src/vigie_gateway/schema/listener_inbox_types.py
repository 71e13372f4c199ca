"""The engagement inbox's GraphQL types: items, notes, conversations, response targets and
times (InboxService of the listener)."""

from datetime import datetime
from enum import Enum

import strawberry
from vigie.listener.v1 import inbox_pb2 as rpc
from vigie.listener.v1 import listener_pb2 as listener
from vigie.listener.v1 import resources_pb2 as pb

from vigie_gateway.context import Context
from vigie_gateway.schema.common import Node, moment
from vigie_gateway.schema.listener_types import Mention

Info = strawberry.Info[Context, None]


@strawberry.enum(description="Why a mention needs a person.")
class InboxReason(Enum):
    QUESTION = strawberry.enum_value(pb.INBOX_REASON_QUESTION, description="It asks something.")
    COMPLAINT = strawberry.enum_value(pb.INBOX_REASON_COMPLAINT, description="It complains.")
    HIGH_REACH_NEGATIVE = strawberry.enum_value(
        pb.INBOX_REASON_HIGH_REACH_NEGATIVE,
        description="Scored negative, from an author who reaches many people.",
    )
    REPLY_TO_OWN_POST = strawberry.enum_value(
        pb.INBOX_REASON_REPLY_TO_OWN_POST,
        description="It replies to one of the brand's own published posts.",
    )


@strawberry.enum(description="Where an inbox item is in its life.")
class InboxStatus(Enum):
    NEW = strawberry.enum_value(pb.INBOX_STATUS_NEW, description="Nobody has taken it yet.")
    ASSIGNED = strawberry.enum_value(pb.INBOX_STATUS_ASSIGNED, description="A person has it.")
    ANSWERED = strawberry.enum_value(
        pb.INBOX_STATUS_ANSWERED, description="The brand replied from Vigie."
    )
    CLOSED = strawberry.enum_value(
        pb.INBOX_STATUS_CLOSED, description="Done with; it can be reopened."
    )


@strawberry.enum(description="Which response time.")
class ResponseKind(Enum):
    FIRST_RESPONSE = strawberry.enum_value(
        pb.RESPONSE_KIND_FIRST_RESPONSE, description="From opening to the brand's first reply."
    )
    RESOLUTION = strawberry.enum_value(
        pb.RESPONSE_KIND_RESOLUTION, description="From opening to closing."
    )


@strawberry.enum(description="Where an entry sits in a conversation.")
class ConversationRole(Enum):
    ANCESTOR = strawberry.enum_value(
        rpc.CONVERSATION_ROLE_ANCESTOR, description="Something the item's mention replies to."
    )
    ITEM = strawberry.enum_value(rpc.CONVERSATION_ROLE_ITEM, description="The item's mention.")
    REPLY = strawberry.enum_value(
        rpc.CONVERSATION_ROLE_REPLY, description="A captured reply to the item's mention."
    )


@strawberry.enum(description="What response times are grouped by.")
class ResponseGrouping(Enum):
    SUBSIDIARY = strawberry.enum_value(
        rpc.RESPONSE_GROUPING_SUBSIDIARY, description="One group per subsidiary."
    )
    BRAND = strawberry.enum_value(rpc.RESPONSE_GROUPING_BRAND, description="One group per brand.")
    PERSON = strawberry.enum_value(
        rpc.RESPONSE_GROUPING_PERSON,
        description="Per person who handled the item: who replied, else who has it.",
    )


@strawberry.type(description="One part of an item's urgency: what it adds, and why.")
class UrgencyPart:
    factor: str = strawberry.field(description="REACH, SENTIMENT, CRISIS or WAITING.")
    score: float = strawberry.field(description="What it adds to the urgency.")
    explanation: str = strawberry.field(description='For people, e.g. "waited 2.5 h".')


def _when(stamp: object, has: bool) -> datetime | None:
    return moment(stamp) if has else None  # type: ignore[arg-type]


async def load_mentions(context: Context, names: list[str]) -> list[Mention | None]:
    """The items' mentions, one BatchGetMentions per response."""

    async def batch(keys: list[str]) -> list[Mention | None]:
        response = await context.call(
            context.clients.listener.BatchGetMentions,
            listener.BatchGetMentionsRequest(parent=context.tenant_name, names=keys),
        )
        found = {m.name: Mention.of(m) for m in response.mentions}
        return [found.get(key) for key in keys]

    return list(await context.loader("listener.mentions", batch).load_many(names))


@strawberry.type(description="A mention in a brand's engagement inbox: it needs a person.")
class InboxItem(Node):
    id: strawberry.ID = strawberry.field(
        description="Global id: tenants/{t}/brands/{b}/inboxItems/{i}."
    )
    mention_id: strawberry.ID = strawberry.field(description="The mention's global id.")
    brand_id: strawberry.ID = strawberry.field(description="The brand mentioned.")
    subsidiary_id: strawberry.ID = strawberry.field(description="The brand's subsidiary.")
    reasons: list[InboxReason] = strawberry.field(description="Why it needs a person.")
    urgency: float = strawberry.field(
        description="The sum of `urgencyParts`, as of `urgencyTime`; higher is more urgent."
    )
    urgency_parts: list[UrgencyPart] = strawberry.field(description="The urgency, explained.")
    status: InboxStatus = strawberry.field(description="Where it is in its life.")
    assignee_id: strawberry.ID | None = strawberry.field(
        description="The member who has it (tenants/{t}/members/{m}); null when nobody."
    )
    labels: list[str] = strawberry.field(description="Its labels, sorted.")
    note_count: int = strawberry.field(description="How many internal notes it has.")
    sentiment: str | None = strawberry.field(
        description="POSITIVE, NEUTRAL or NEGATIVE; null until scored."
    )
    crisis_id: strawberry.ID | None = strawberry.field(
        description="The brand's open crisis it is part of; null when none."
    )
    open_time: datetime = strawberry.field(description="When it entered the inbox.")
    first_response_time: datetime | None = strawberry.field(
        description="When the brand first replied; null until then."
    )
    close_time: datetime | None = strawberry.field(description="When it was closed, if it is.")
    update_time: datetime = strawberry.field(description="When it last changed.")
    urgency_time: datetime = strawberry.field(description="When `urgency` was computed.")
    reply_id: strawberry.ID | None = strawberry.field(
        description="The publisher's reply that answered it first."
    )
    responder_id: strawberry.ID | None = strawberry.field(description="Who published that reply.")
    breaches: list[ResponseKind] = strawberry.field(
        description="The subsidiary's targets it passed, each reported once."
    )
    etag: str = strawberry.field(description="Changes with every change of the item.")

    @strawberry.field(description="The mention itself (null if it was removed).")
    async def mention(self, info: Info) -> Mention | None:
        return (await load_mentions(info.context, [str(self.mention_id)]))[0]

    @classmethod
    def of(cls, m: pb.InboxItem) -> "InboxItem":
        return cls(
            id=strawberry.ID(m.name), mention_id=strawberry.ID(m.mention),
            brand_id=strawberry.ID(m.brand), subsidiary_id=strawberry.ID(m.subsidiary),
            reasons=[InboxReason(r) for r in m.reasons], urgency=m.urgency,
            urgency_parts=[
                UrgencyPart(factor=p.factor, score=p.score, explanation=p.explanation)
                for p in m.urgency_parts
            ],
            status=InboxStatus(m.status),
            assignee_id=strawberry.ID(m.assignee) if m.assignee else None,
            labels=list(m.labels), note_count=m.note_count, sentiment=m.sentiment or None,
            crisis_id=strawberry.ID(m.crisis) if m.crisis else None,
            open_time=moment(m.open_time),
            first_response_time=_when(m.first_response_time, m.HasField("first_response_time")),
            close_time=_when(m.close_time, m.HasField("close_time")),
            update_time=moment(m.update_time), urgency_time=moment(m.urgency_time),
            reply_id=strawberry.ID(m.reply) if m.reply else None,
            responder_id=strawberry.ID(m.responder) if m.responder else None,
            breaches=[ResponseKind(b) for b in m.breaches], etag=m.etag,
        )  # fmt: skip


@strawberry.type(description="An internal note on an inbox item (never published).")
class InboxNote(Node):
    id: strawberry.ID = strawberry.field(
        description="Global id: tenants/{t}/brands/{b}/inboxItems/{i}/notes/{n}."
    )
    text: str = strawberry.field(description="What was written.")
    author_id: strawberry.ID = strawberry.field(description="Who wrote it.")
    create_time: datetime = strawberry.field(description="When.")

    @classmethod
    def of(cls, m: pb.InboxNote) -> "InboxNote":
        return cls(
            id=strawberry.ID(m.name), text=m.text, author_id=strawberry.ID(m.author),
            create_time=moment(m.create_time),
        )  # fmt: skip


@strawberry.type(description="One of the brand's own published posts in a conversation.")
class OwnPost:
    post_id: strawberry.ID = strawberry.field(description="The publisher's post.")
    reference: str = strawberry.field(description="Its network reference (at:// URI, link).")
    network: str = strawberry.field(description="bluesky, mastodon, ...")
    publish_time: datetime = strawberry.field(description="When it was published.")


@strawberry.type(description="One entry of a conversation: a mention or the brand's own post.")
class ConversationEntry:
    role: ConversationRole = strawberry.field(description="Where it sits relative to the item.")
    mention: Mention | None = strawberry.field(description="A captured mention, if it is one.")
    own_post: OwnPost | None = strawberry.field(description="The brand's post, if it is one.")


@strawberry.type(description="The thread an inbox item's mention belongs to, oldest first.")
class Conversation:
    inbox_item_id: strawberry.ID = strawberry.field(description="The item.")
    entries: list[ConversationEntry] = strawberry.field(
        description="Ancestors oldest first, then the item, then its replies oldest first."
    )

    @classmethod
    def of(cls, m: rpc.Conversation) -> "Conversation":
        entries = []
        for e in m.entries:
            own = None
            if e.HasField("own_post"):
                p = e.own_post
                own = OwnPost(
                    post_id=strawberry.ID(p.post), reference=p.reference, network=p.network,
                    publish_time=moment(p.publish_time),
                )  # fmt: skip
            found = Mention.of(e.mention) if e.HasField("mention") else None
            entries.append(
                ConversationEntry(role=ConversationRole(e.role), mention=found, own_post=own)
            )
        return cls(inbox_item_id=strawberry.ID(m.inbox_item), entries=entries)


@strawberry.type(description="How fast a subsidiary means to answer (0: no target).")
class ResponseTargets:
    id: strawberry.ID = strawberry.field(
        description="tenants/{t}/subsidiaries/{s}/responseTargets."
    )
    first_response_seconds: int = strawberry.field(description="Opening to first reply.")
    resolution_seconds: int = strawberry.field(description="Opening to closing.")
    update_time: datetime | None = strawberry.field(description="When last set; null if never.")

    @classmethod
    def of(cls, m: pb.ResponseTargets) -> "ResponseTargets":
        return cls(
            id=strawberry.ID(m.name), first_response_seconds=m.first_response_seconds,
            resolution_seconds=m.resolution_seconds,
            update_time=_when(m.update_time, m.HasField("update_time")),
        )  # fmt: skip


@strawberry.type(description="Statistics of one response time over a group's items.")
class ResponseTimeStats:
    count: int = strawberry.field(description="Items that reached the end (answered, closed).")
    p50_seconds: float = strawberry.field(description="Median, nearest rank.")
    p90_seconds: float = strawberry.field(description="90th percentile, nearest rank.")
    mean_seconds: float = strawberry.field(description="Mean.")
    breach_count: int = strawberry.field(
        description="Items past the target: answered late, or still waiting past it."
    )
    target_seconds: int = strawberry.field(description="The target; 0 when none.")

    @classmethod
    def of(cls, m: rpc.ResponseTimeStats) -> "ResponseTimeStats":
        return cls(
            count=m.count, p50_seconds=m.p50_seconds, p90_seconds=m.p90_seconds,
            mean_seconds=m.mean_seconds, breach_count=m.breach_count,
            target_seconds=m.target_seconds,
        )  # fmt: skip


@strawberry.type(description="Response times of one subsidiary, brand or person.")
class ResponseTimeGroup:
    key: str = strawberry.field(
        description="The subsidiary, brand or member (global id); empty for nobody yet."
    )
    opened_count: int = strawberry.field(description="Items opened in the window.")
    first_response: ResponseTimeStats = strawberry.field(description="Opening to first reply.")
    resolution: ResponseTimeStats = strawberry.field(description="Opening to closing.")

    @classmethod
    def of(cls, m: rpc.ResponseTimeGroup) -> "ResponseTimeGroup":
        return cls(
            key=m.key, opened_count=m.opened_count,
            first_response=ResponseTimeStats.of(m.first_response),
            resolution=ResponseTimeStats.of(m.resolution),
        )  # fmt: skip
