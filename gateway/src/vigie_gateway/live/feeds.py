"""Each subscription's feed: which producers it listens to, and how an event of theirs becomes
the GraphQL payload, with the subsidiary, brand and campaign used to filter it."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import strawberry
from vigie_runtime.events import EventType, IncomingEvent

from vigie_gateway.live import events as e
from vigie_gateway.live.types import (
    CrisisChange,
    CrisisEvent,
    DeliverableChange,
    DeliverableEvent,
    MentionChange,
    MentionEvent,
    PostStatusEvent,
)
from vigie_gateway.schema.listener_types import Mention
from vigie_gateway.schema.partnerships_types import Deliverable
from vigie_gateway.schema.publisher_types import Post
from vigie_gateway.schema.reputation_types import Crisis, MentionSentiment

P = TypeVar("P")


@dataclass(frozen=True)
class Item(Generic[P]):
    """A payload and where it belongs. `subsidiary` is None only for what no subsidiary owns
    (a campaign's deliverables, scoped by their campaign instead)."""

    payload: P
    subsidiary: str | None = None
    brand: str = ""
    campaign: str = ""


@dataclass(frozen=True)
class Feed(Generic[P]):
    converters: dict[str, Callable[[IncomingEvent], Item[P]]]  # by CloudEvents type

    @property
    def producers(self) -> tuple[str, ...]:
        return tuple(sorted({ce_type.split(".")[1] for ce_type in self.converters}))

    def convert(self, event: IncomingEvent) -> Item[P] | None:
        """None for the producer's other events (a feed listens to its whole subject tree)."""
        converter = self.converters.get(event.type)
        return converter(event) if converter else None


def _by_type(*pairs: tuple[EventType[Any], Callable[[IncomingEvent], Item[P]]]) -> Feed[P]:
    return Feed({kind.ce_type: convert for kind, convert in pairs})


def _captured(event: IncomingEvent) -> Item[MentionEvent]:
    m = e.MENTION_CAPTURED.parse(event)
    payload = MentionEvent(
        change=MentionChange.CAPTURED, mention_id=strawberry.ID(m.mention.name),
        brand_id=strawberry.ID(m.brand), mention=Mention.of(m.mention), sentiment=None,
    )  # fmt: skip
    return Item(payload, subsidiary=m.subsidiary, brand=m.brand)


def _scored(event: IncomingEvent) -> Item[MentionEvent]:
    m = e.MENTION_SCORED.parse(event)
    payload = MentionEvent(
        change=MentionChange.SCORED, mention_id=strawberry.ID(m.sentiment.mention),
        brand_id=strawberry.ID(m.brand), mention=None, sentiment=MentionSentiment.of(m.sentiment),
    )  # fmt: skip
    return Item(payload, subsidiary=m.subsidiary, brand=m.brand)


MENTIONS: Feed[MentionEvent] = _by_type(
    (e.MENTION_CAPTURED, _captured), (e.MENTION_SCORED, _scored)
)


def _crisis(
    kind: EventType[Any], change: CrisisChange
) -> Callable[[IncomingEvent], Item[CrisisEvent]]:
    def convert(event: IncomingEvent) -> Item[CrisisEvent]:
        m = kind.parse(event)
        payload = CrisisEvent(
            change=change, subsidiary_id=strawberry.ID(m.subsidiary), crisis=Crisis.of(m.crisis)
        )
        return Item(payload, subsidiary=m.subsidiary, brand=m.crisis.brand)

    return convert


CRISES: Feed[CrisisEvent] = _by_type(
    (e.CRISIS_OPENED, _crisis(e.CRISIS_OPENED, CrisisChange.OPENED)),
    (e.CRISIS_ESCALATED, _crisis(e.CRISIS_ESCALATED, CrisisChange.ESCALATED)),
    (e.CRISIS_RESOLVED, _crisis(e.CRISIS_RESOLVED, CrisisChange.RESOLVED)),
)


def _post(kind: EventType[Any]) -> Callable[[IncomingEvent], Item[PostStatusEvent]]:
    def convert(event: IncomingEvent) -> Item[PostStatusEvent]:
        m = kind.parse(event)
        payload = PostStatusEvent(
            status=kind.action.upper(), subsidiary_id=strawberry.ID(m.subsidiary),
            brand_id=strawberry.ID(m.post.brand), post=Post.of(m.post),
            reason=getattr(m, "reason", "") or None,
        )  # fmt: skip
        return Item(payload, subsidiary=m.subsidiary, brand=m.post.brand)

    return convert


_POST_EVENTS = (
    e.POST_SUBMITTED,
    e.POST_APPROVED,
    e.POST_SCHEDULED,
    e.POST_PUBLISHED,
    e.POST_FAILED,
)
POSTS: Feed[PostStatusEvent] = _by_type(*((kind, _post(kind)) for kind in _POST_EVENTS))


def campaign_of(deliverable: str) -> str:
    """tenants/{t}/campaigns/{c}/contracts/{k}/deliverables/{d} -> tenants/{t}/campaigns/{c}."""
    return "/".join(deliverable.split("/")[:4])


def _deliverable(
    kind: EventType[Any], change: DeliverableChange
) -> Callable[[IncomingEvent], Item[DeliverableEvent]]:
    def convert(event: IncomingEvent) -> Item[DeliverableEvent]:
        m = kind.parse(event)
        campaign = campaign_of(m.deliverable.name)
        payload = DeliverableEvent(
            change=change, campaign_id=strawberry.ID(campaign),
            contract_id=strawberry.ID(m.contract), creator_id=strawberry.ID(m.creator),
            deliverable=Deliverable.of(m.deliverable),
        )  # fmt: skip
        return Item(payload, campaign=campaign)

    return convert


DELIVERABLES: Feed[DeliverableEvent] = _by_type(
    (e.DELIVERABLE_FULFILLED, _deliverable(e.DELIVERABLE_FULFILLED, DeliverableChange.FULFILLED)),
    (e.DELIVERABLE_MISSED, _deliverable(e.DELIVERABLE_MISSED, DeliverableChange.MISSED)),
)
