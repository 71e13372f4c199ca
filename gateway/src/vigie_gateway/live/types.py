"""What a live subscription sends: one small event type per feed, around the schema's objects."""

from enum import Enum

import strawberry

from vigie_gateway.schema.listener_types import Mention
from vigie_gateway.schema.partnerships_types import Deliverable
from vigie_gateway.schema.publisher_types import Post
from vigie_gateway.schema.reputation_types import Crisis, MentionSentiment


@strawberry.enum(description="Why a mention is sent: just captured, or scored since.")
class MentionChange(Enum):
    CAPTURED = strawberry.enum_value("captured", description="A new mention.")
    SCORED = strawberry.enum_value("scored", description="A mention got its sentiment.")


@strawberry.type(description="A mention of the brand, sent when captured and again when scored.")
class MentionEvent:
    change: MentionChange = strawberry.field(description="What happened to the mention.")
    mention_id: strawberry.ID = strawberry.field(
        description="The mention's id: the key a UI updates in place when it is scored."
    )
    brand_id: strawberry.ID = strawberry.field(description="The brand it mentions.")
    mention: Mention | None = strawberry.field(description="The mention (when CAPTURED).")
    sentiment: MentionSentiment | None = strawberry.field(
        description="Its sentiment (when SCORED)."
    )


@strawberry.enum(description="What happened to a crisis.")
class CrisisChange(Enum):
    OPENED = strawberry.enum_value("opened", description="A crisis opened.")
    ESCALATED = strawberry.enum_value("escalated", description="A crisis grew more severe.")
    RESOLVED = strawberry.enum_value("resolved", description="A crisis ended.")


@strawberry.type(description="A crisis opened, escalated or resolved in one of the subsidiaries.")
class CrisisEvent:
    change: CrisisChange = strawberry.field(description="What happened.")
    subsidiary_id: strawberry.ID = strawberry.field(description="The brand's subsidiary.")
    crisis: Crisis = strawberry.field(description="The crisis as it is now.")


@strawberry.type(description="A post changed status (submitted, approved, scheduled, ...).")
class PostStatusEvent:
    status: str = strawberry.field(
        description="SUBMITTED, APPROVED, SCHEDULED, PUBLISHED or FAILED."
    )
    subsidiary_id: strawberry.ID = strawberry.field(description="The brand's subsidiary.")
    brand_id: strawberry.ID = strawberry.field(description="The post's brand.")
    post: Post = strawberry.field(description="The post as it is now.")
    reason: str | None = strawberry.field(description="Why it failed (FAILED only).")


@strawberry.enum(description="What happened to a deliverable.")
class DeliverableChange(Enum):
    FULFILLED = strawberry.enum_value("fulfilled", description="A deliverable was posted.")
    MISSED = strawberry.enum_value(
        "missed", description="A deliverable's due time passed unposted."
    )


@strawberry.type(description="A creator's deliverable was fulfilled or missed.")
class DeliverableEvent:
    change: DeliverableChange = strawberry.field(description="What happened.")
    campaign_id: strawberry.ID = strawberry.field(description="The campaign.")
    contract_id: strawberry.ID = strawberry.field(description="The contract it belongs to.")
    creator_id: strawberry.ID = strawberry.field(description="The creator who owes it.")
    deliverable: Deliverable = strawberry.field(description="The deliverable as it is now.")
