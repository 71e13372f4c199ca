"""Playbooks and crisis rooms as GraphQL objects and inputs (resolvers:
reputation_crisis_response.py)."""

from datetime import datetime
from enum import Enum

import strawberry
from google.protobuf.message import Message
from vigie.reputation.v1 import crisis_response_pb2 as cr

from vigie_gateway.schema.common import DeleteInput, Node, moment
from vigie_gateway.schema.reputation_reports import ReportFormat
from vigie_gateway.schema.reputation_types import Crisis, MeasurePoint

PARENT_ID = (
    "The brand's (`tenants/{t}/brands/{b}`) or the subsidiary's "
    "(`tenants/{t}/subsidiaries/{s}`) global id."
)
ETAG = "Pass back on update/delete: a stale one is refused (CONFLICT)."


def _id(name: str) -> strawberry.ID | None:
    return strawberry.ID(name) if name else None


def _at(message: Message, field: str) -> datetime | None:
    """A timestamp field's moment; None when the service left it unset."""
    return moment(getattr(message, field)) if message.HasField(field) else None


@strawberry.enum(description="Whether a crisis holds the brand's scheduled queue.")
class QueueHold(Enum):
    HOLD = strawberry.enum_value(
        cr.QUEUE_HOLD_HOLD, description="The scheduled posts wait until the crisis is over."
    )
    KEEP_PUBLISHING = strawberry.enum_value(
        cr.QUEUE_HOLD_KEEP_PUBLISHING, description="The queue keeps publishing during the crisis."
    )

    @classmethod
    def of(cls, value: int) -> "QueueHold":
        # Unspecified is the service's default, which holds.
        return cls.KEEP_PUBLISHING if value == cr.QUEUE_HOLD_KEEP_PUBLISHING else cls.HOLD


@strawberry.type(description="One person or webhook to alert, some time after a crisis opens.")
class AlertStep:
    member_id: strawberry.ID | None = strawberry.field(
        description="The member alerted (`tenants/{t}/members/{m}`); null for a webhook."
    )
    webhook_id: strawberry.ID | None = strawberry.field(
        description="The webhook alerted (`tenants/{t}/webhooks/{w}`); null for a member."
    )
    delay_seconds: int = strawberry.field(description="Seconds after the crisis opened.")

    @classmethod
    def of(cls, s: cr.AlertStep) -> "AlertStep":
        return cls(
            member_id=_id(s.member), webhook_id=_id(s.webhook), delay_seconds=s.delay_seconds
        )


@strawberry.type(description="A pre-approved holding statement in one language.")
class HoldingStatement:
    language: str = strawberry.field(description='BCP 47 language, e.g. "fr" or "en".')
    text: str = strawberry.field(description="The statement (at most 3000 characters).")


@strawberry.type(
    description="What to do when a crisis opens on a brand: who is alerted in what order, the "
    "holding statements to propose, and whether to hold the queue. A brand's own playbook wins "
    "over its subsidiary's."
)
class Playbook(Node):
    id: strawberry.ID = strawberry.field(
        description="Global id: tenants/{t}/brands/{b}/playbooks/{p} or "
        "tenants/{t}/subsidiaries/{s}/playbooks/{p}."
    )
    display_name: str = strawberry.field(description="Its name in the team's list.")
    alert_steps: list[AlertStep] = strawberry.field(
        description="Who is alerted, in order (at most 20)."
    )
    holding_statements: list[HoldingStatement] = strawberry.field(
        description="At most one per language (at most 20)."
    )
    queue_hold: QueueHold = strawberry.field(description="Whether the queue is held.")
    created_at: datetime | None = strawberry.field(description="When it was made.")
    updated_at: datetime | None = strawberry.field(description="When it last changed.")
    etag: str = strawberry.field(description=ETAG)

    @classmethod
    def of(cls, p: cr.Playbook) -> "Playbook":
        statements = [HoldingStatement(language=s.language, text=s.text)
                      for s in p.holding_statements]  # fmt: skip
        return cls(
            id=strawberry.ID(p.name), display_name=p.display_name,
            alert_steps=[AlertStep.of(s) for s in p.alert_steps],
            holding_statements=statements, queue_hold=QueueHold.of(p.queue_hold),
            created_at=_at(p, "create_time"), updated_at=_at(p, "update_time"), etag=p.etag,
        )  # fmt: skip


@strawberry.enum(description="Where a statement of a crisis room is.")
class StatementState(Enum):
    PROPOSED = strawberry.enum_value(
        cr.STATEMENT_STATE_PROPOSED, description="Proposed by the playbook; waits for approval."
    )
    APPROVED = strawberry.enum_value(
        cr.STATEMENT_STATE_APPROVED, description="Approved; the publisher is publishing it."
    )
    PUBLISHED = strawberry.enum_value(
        cr.STATEMENT_STATE_PUBLISHED, description="Out on the brand's accounts."
    )


@strawberry.type(description="A holding statement proposed in a crisis room.")
class Statement:
    id: strawberry.ID = strawberry.field(
        description="Its name: tenants/{t}/brands/{b}/crises/{c}/statements/{s}."
    )
    language: str = strawberry.field(description="BCP 47 language of the text.")
    text: str = strawberry.field(description="What it says.")
    state: StatementState = strawberry.field(description="Where it is.")
    social_account_ids: list[strawberry.ID] = strawberry.field(
        description="The accounts it goes out on; empty for all of the brand's."
    )
    approver_id: strawberry.ID | None = strawberry.field(
        description="Who approved it (`tenants/{t}/users/{u}`); null until approved."
    )
    proposed_at: datetime | None = strawberry.field(description="When it was proposed.")
    approved_at: datetime | None = strawberry.field(description="When it was approved.")
    published_at: datetime | None = strawberry.field(description="When it was published.")
    post_ids: list[strawberry.ID] = strawberry.field(
        description="The posts that carried it (`tenants/{t}/brands/{b}/posts/{p}`)."
    )

    @classmethod
    def of(cls, s: cr.Statement) -> "Statement":
        return cls(
            id=strawberry.ID(s.name), language=s.language, text=s.text,
            state=StatementState(s.state),
            social_account_ids=[strawberry.ID(a) for a in s.social_accounts],
            approver_id=_id(s.approver), proposed_at=_at(s, "propose_time"),
            approved_at=_at(s, "approve_time"), published_at=_at(s, "publish_time"),
            post_ids=[strawberry.ID(p) for p in s.posts],
        )  # fmt: skip


@strawberry.enum(description="Where one alert step of a crisis is.")
class NotificationState(Enum):
    PENDING = strawberry.enum_value(
        cr.NOTIFICATION_STATE_PENDING, description="Waiting for its delay."
    )
    SENT = strawberry.enum_value(
        cr.NOTIFICATION_STATE_SENT,
        description="Recorded (a member) or handed to the webhook deliveries (a webhook).",
    )


@strawberry.type(description="One alert step of the applied playbook, in a crisis.")
class CrisisNotification:
    step: int = strawberry.field(description="Its place in the playbook, from 1.")
    member_id: strawberry.ID | None = strawberry.field(
        description="The member alerted; null for a webhook."
    )
    webhook_id: strawberry.ID | None = strawberry.field(
        description="The webhook alerted; null for a member."
    )
    state: NotificationState = strawberry.field(description="Pending or sent.")
    due_at: datetime | None = strawberry.field(description="When it is (was) due.")
    sent_at: datetime | None = strawberry.field(description="When it was sent; null until then.")

    @classmethod
    def of(cls, n: cr.CrisisNotification) -> "CrisisNotification":
        return cls(
            step=n.step, member_id=_id(n.member), webhook_id=_id(n.webhook),
            state=NotificationState(n.state), due_at=_at(n, "due_time"),
            sent_at=_at(n, "send_time"),
        )  # fmt: skip


@strawberry.type(description="Volume and sentiment of the brand since the crisis opened.")
class CrisisSince:
    volume: int = strawberry.field(description="Mentions since it opened (until it resolved).")
    positive: int = strawberry.field(description="Of those, positive.")
    neutral: int = strawberry.field(description="Of those, neutral.")
    negative: int = strawberry.field(description="Of those, negative.")
    net_sentiment: float = strawberry.field(description="(positive - negative) / volume.")
    points: list[MeasurePoint] = strawberry.field(description="Hourly buckets, oldest first.")

    @classmethod
    def of(cls, s: cr.CrisisSince) -> "CrisisSince":
        return cls(
            volume=s.volume, positive=s.positive_count, neutral=s.neutral_count,
            negative=s.negative_count, net_sentiment=s.net_sentiment,
            points=[MeasurePoint.of(p) for p in s.points],
        )  # fmt: skip


@strawberry.type(
    description="Everything about one crisis's response: the playbook applied, the statements, "
    "the notifications, the held posts and the brand's measures since."
)
class CrisisRoom(Node):
    id: strawberry.ID = strawberry.field(
        description="Global id: tenants/{t}/brands/{b}/crises/{c}/room."
    )
    crisis: Crisis = strawberry.field(description="The crisis as it is now.")
    playbook: Playbook | None = strawberry.field(
        description="The playbook applied, as it was when the crisis opened; null when none."
    )
    statements: list[Statement] = strawberry.field(description="The holding statements.")
    notifications: list[CrisisNotification] = strawberry.field(
        description="The alert steps, in the playbook's order."
    )
    since: CrisisSince = strawberry.field(description="Volume and sentiment since it opened.")
    held_post_ids: list[strawberry.ID] = strawberry.field(
        description="Posts of the brand's queue the crisis holds "
        "(`tenants/{t}/brands/{b}/posts/{p}`; read them with `nodes(ids:)`)."
    )

    @classmethod
    def of(cls, r: cr.CrisisRoom) -> "CrisisRoom":
        playbook = Playbook.of(r.playbook) if r.playbook.name else None
        return cls(
            id=strawberry.ID(r.name), crisis=Crisis.of(r.crisis), playbook=playbook,
            statements=[Statement.of(s) for s in r.statements],
            notifications=[CrisisNotification.of(n) for n in r.notifications],
            since=CrisisSince.of(r.since), held_post_ids=[strawberry.ID(p) for p in r.held_posts],
        )  # fmt: skip


@strawberry.enum(description="What a timeline entry records.")
class TimelineEntryKind(Enum):
    DETECTED = strawberry.enum_value(
        cr.TIMELINE_ENTRY_KIND_DETECTED, description="The crisis was detected."
    )
    ESCALATED = strawberry.enum_value(
        cr.TIMELINE_ENTRY_KIND_ESCALATED, description="It grew more severe."
    )
    RESOLVED = strawberry.enum_value(cr.TIMELINE_ENTRY_KIND_RESOLVED, description="It ended.")
    PLAYBOOK_APPLIED = strawberry.enum_value(
        cr.TIMELINE_ENTRY_KIND_PLAYBOOK_APPLIED, description="A playbook was applied."
    )
    ALERT_FIRED = strawberry.enum_value(
        cr.TIMELINE_ENTRY_KIND_ALERT_FIRED, description="An alert rule fired."
    )
    PERSON_NOTIFIED = strawberry.enum_value(
        cr.TIMELINE_ENTRY_KIND_PERSON_NOTIFIED, description="A member was notified."
    )
    WEBHOOK_NOTIFIED = strawberry.enum_value(
        cr.TIMELINE_ENTRY_KIND_WEBHOOK_NOTIFIED, description="A webhook was notified."
    )
    QUEUE_HELD = strawberry.enum_value(
        cr.TIMELINE_ENTRY_KIND_QUEUE_HELD, description="The brand's queue was held."
    )
    STATEMENT_PROPOSED = strawberry.enum_value(
        cr.TIMELINE_ENTRY_KIND_STATEMENT_PROPOSED, description="A statement was proposed."
    )
    STATEMENT_APPROVED = strawberry.enum_value(
        cr.TIMELINE_ENTRY_KIND_STATEMENT_APPROVED, description="A statement was approved."
    )
    STATEMENT_PUBLISHED = strawberry.enum_value(
        cr.TIMELINE_ENTRY_KIND_STATEMENT_PUBLISHED, description="A statement was published."
    )
    QUEUE_RELEASED = strawberry.enum_value(
        cr.TIMELINE_ENTRY_KIND_QUEUE_RELEASED, description="The brand's queue was released."
    )


@strawberry.type(description="One thing that happened in a crisis.")
class TimelineEntry:
    id: strawberry.ID = strawberry.field(
        description="Its name: tenants/{t}/brands/{b}/crises/{c}/timeline/{e}."
    )
    kind: TimelineEntryKind = strawberry.field(description="What it records.")
    time: datetime | None = strawberry.field(description="When it happened (UTC).")
    summary: str = strawberry.field(description="A sentence saying what happened.")
    subject: str = strawberry.field(
        description="What it is about: a member, webhook, statement, post, alert rule or queue."
    )
    actor_id: strawberry.ID | None = strawberry.field(
        description="Who did it, when a person did (`tenants/{t}/users/{u}`)."
    )

    @classmethod
    def of(cls, e: cr.TimelineEntry) -> "TimelineEntry":
        return cls(
            id=strawberry.ID(e.name), kind=TimelineEntryKind(e.kind), time=_at(e, "time"),
            summary=e.summary, subject=e.subject, actor_id=_id(e.actor),
        )  # fmt: skip


@strawberry.input(description="One person or webhook to alert: give exactly one of the two.")
class AlertStepInput:
    member_id: strawberry.ID | None = strawberry.field(
        default=None, description="A member (`tenants/{t}/members/{m}`)."
    )
    webhook_id: strawberry.ID | None = strawberry.field(
        default=None, description="A webhook (`tenants/{t}/webhooks/{w}`)."
    )
    delay_seconds: int = strawberry.field(
        default=0, description="Seconds after the crisis opened, 0 to 86400."
    )


@strawberry.input(description="A holding statement in one language.")
class HoldingStatementInput:
    language: str = strawberry.field(description='BCP 47 language, e.g. "fr" or "en".')
    text: str = strawberry.field(description="The statement (at most 3000 characters).")


@strawberry.input(description="The playbook's content (fields left out stay as they are).")
class PlaybookFields:
    display_name: str | None = strawberry.field(
        default=None, description="Its name in the team's list."
    )
    alert_steps: list[AlertStepInput] | None = strawberry.field(
        default=None, description="Who is alerted, in order (at most 20); replaces all."
    )
    holding_statements: list[HoldingStatementInput] | None = strawberry.field(
        default=None, description="At most one per language (at most 20); replaces all."
    )
    queue_hold: QueueHold | None = strawberry.field(
        default=None, description="Whether a crisis holds the queue (HOLD when left out)."
    )


@strawberry.input(description="A playbook for a brand or a subsidiary.")
class CreatePlaybookInput(PlaybookFields):
    parent_id: strawberry.ID = strawberry.field(description=PARENT_ID)
    request_id: str = strawberry.field(
        default="", description="Makes retries safe: the same id returns what the first made."
    )


@strawberry.input(description="What changes on a playbook (fields left out stay).")
class UpdatePlaybookInput(PlaybookFields):
    id: strawberry.ID = strawberry.field(description="The playbook's global id.")
    etag: str = strawberry.field(default="", description=ETAG)


@strawberry.input(description="The playbook to delete.")
class DeletePlaybookInput(DeleteInput):
    pass


@strawberry.input(description="A proposed statement to approve; the publisher then publishes it.")
class ApproveStatementInput:
    id: strawberry.ID = strawberry.field(
        description="The statement: tenants/{t}/brands/{b}/crises/{c}/statements/{s}."
    )
    social_account_ids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="The brand's accounts to publish on; left out, all of them."
    )


@strawberry.input(description="A resolved crisis's room to render as a report.")
class ExportCrisisRoomInput:
    crisis_id: strawberry.ID = strawberry.field(
        description="The crisis (`tenants/{t}/brands/{b}/crises/{c}`); it must be resolved."
    )
    format: ReportFormat = strawberry.field(description="The file to render.")
    language: str = strawberry.field(
        default="", description="BCP 47 language of the fixed texts; the subsidiary's if empty."
    )
    request_id: str = strawberry.field(
        default="", description="Makes retries safe: the same id returns the first report."
    )
