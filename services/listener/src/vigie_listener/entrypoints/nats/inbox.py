"""The inbox's consumers: mentions captured (own) and scored (reputation), crises opened and
resolved, replies published (publisher), members changed (directory). The runner applies each
event once (its inbox) and commits; the handlers are also no-ops when their change holds."""

import logging
from functools import partial

from vigie_runtime.events import IncomingEvent
from vigie_runtime.inbox import Subscription
from vigie_runtime.uow import UnitOfWork

from vigie_listener.app import inbox_opening, inbox_signals, members
from vigie_listener.app.events import (
    CRISIS_OPENED,
    CRISIS_RESOLVED,
    MEMBER_CREATED,
    MEMBER_DELETED,
    MEMBER_UPDATED,
    MENTION_CAPTURED,
    MENTION_SCORED,
    REPLY_PUBLISHED,
)

log = logging.getLogger(__name__)


async def on_captured(reach: int, uow: UnitOfWork, event: IncomingEvent) -> None:
    await inbox_opening.on_captured(uow, event.tenant, MENTION_CAPTURED.parse(event), reach)


async def on_reputation(reach: int, uow: UnitOfWork, event: IncomingEvent) -> None:
    if event.type == MENTION_SCORED.ce_type:
        await inbox_opening.on_scored(uow, event.tenant, MENTION_SCORED.parse(event), reach)
    elif event.type == CRISIS_OPENED.ce_type:
        crisis = CRISIS_OPENED.parse(event).crisis
        await inbox_signals.on_crisis(uow, event.tenant, crisis, is_open=True)
    elif event.type == CRISIS_RESOLVED.ce_type:
        crisis = CRISIS_RESOLVED.parse(event).crisis
        await inbox_signals.on_crisis(uow, event.tenant, crisis, is_open=False)


async def on_reply(uow: UnitOfWork, event: IncomingEvent) -> None:
    await inbox_signals.on_reply_published(uow, event.tenant, REPLY_PUBLISHED.parse(event))


async def on_member(uow: UnitOfWork, event: IncomingEvent) -> None:
    if event.type == MEMBER_DELETED.ce_type:
        name = MEMBER_DELETED.parse(event).name
        await members.forget_member(uow, event.tenant, name, event.time)
    elif event.type in (MEMBER_CREATED.ce_type, MEMBER_UPDATED.ce_type):
        member = MEMBER_CREATED.message.FromString(event.payload).member
        await members.record_member(uow, event.tenant, member, event.time)
    else:
        log.info("ignoring %s: not a member event this version knows", event.type)


def inbox_subscriptions(high_reach_followers: int) -> list[Subscription]:
    return [
        Subscription(
            durable="listener-inbox-mentions",
            producer=MENTION_CAPTURED.producer,
            subjects=[MENTION_CAPTURED.subject_filter()],
            handler=partial(on_captured, high_reach_followers),
        ),
        Subscription(
            durable="listener-inbox-reputation",
            producer=MENTION_SCORED.producer,
            subjects=[
                MENTION_SCORED.subject_filter(),
                CRISIS_OPENED.subject_filter(),
                CRISIS_RESOLVED.subject_filter(),
            ],
            handler=partial(on_reputation, high_reach_followers),
        ),
        Subscription(
            durable="listener-inbox-replies",
            producer=REPLY_PUBLISHED.producer,
            subjects=[REPLY_PUBLISHED.subject_filter()],
            handler=on_reply,
        ),
        Subscription(
            durable="listener-members",
            producer=MEMBER_CREATED.producer,
            subjects=["vigie.directory.*.member.>"],
            handler=on_member,
        ),
    ]
