"""Items enter the inbox from the listener's own `mention.captured` and the reputation
service's `mention.scored` (whichever arrives first: a question opens on capture, a
high-reach negative once scored). One item per mention; redeliveries change nothing."""

from dataclasses import dataclass

from sqlalchemy import Table, select
from vigie.listener.v1 import events_pb2
from vigie.listener.v1 import resources_pb2 as pb
from vigie.reputation.v1 import events_pb2 as reputation_events
from vigie.reputation.v1 import resources_pb2 as reputation
from vigie_runtime.ids import new_id
from vigie_runtime.uow import UnitOfWork

from vigie_listener.adapters.orm import (
    Base,
    InboxItemRow,
    KnownBrandRow,
    MentionRow,
    PublishedPostRow,
    dialect_insert,
)
from vigie_listener.app import views
from vigie_listener.app.common import now, utc
from vigie_listener.app.events import INBOX_ITEM_OPENED
from vigie_listener.app.inbox_common import open_crisis, rerank, touch
from vigie_listener.app.inbox_views import inbox_item
from vigie_listener.app.names import MENTION, SUBSIDIARY
from vigie_listener.domain.inbox_reasons import MentionFacts, Reason, reasons
from vigie_listener.domain.inbox_status import Status

_THREADS = Table("mention_threads", Base.metadata)
_ITEMS = Table("inbox_items", Base.metadata)


@dataclass(frozen=True)
class Opening:
    tenant: str
    brand_id: str
    subsidiary_id: str
    mention: pb.Mention
    sentiment: str


def sentiment_label(sentiment: reputation.MentionSentiment) -> str:
    """A person's correction wins over the model."""
    label = sentiment.corrected_label or sentiment.label
    if label == reputation.SENTIMENT_LABEL_UNSPECIFIED:
        return ""
    return reputation.SentimentLabel.Name(label).removeprefix("SENTIMENT_LABEL_")


async def on_captured(
    uow: UnitOfWork, tenant: str, event: events_pb2.MentionCaptured, reach: int
) -> None:
    mention = event.mention
    mention_tenant, brand_id, mention_id = MENTION.parse(mention.name, "mention.name")
    if mention_tenant != tenant:
        return  # another tenant's mention in this tenant's event: ignored
    _, subsidiary_id = SUBSIDIARY.parse(event.subsidiary, "subsidiary")
    await _index_thread(uow, tenant, brand_id, mention_id, mention)
    if await _item_of(uow, tenant, brand_id, mention_id) is None:
        await _open(uow, Opening(tenant, brand_id, subsidiary_id, mention, ""), reach)


async def on_scored(
    uow: UnitOfWork, tenant: str, event: reputation_events.MentionScored, reach: int
) -> None:
    mention_tenant, brand_id, mention_id = MENTION.parse(event.sentiment.mention, "mention")
    if mention_tenant != tenant:
        return
    label = sentiment_label(event.sentiment)
    row = await _item_of(uow, tenant, brand_id, mention_id)
    if row is not None:
        await _rescore(uow, row, label, reach)
        return
    mention = await uow.session.get(MentionRow, mention_id)
    brand = await uow.session.get(KnownBrandRow, (tenant, brand_id))
    if mention is None or mention.tenant != tenant or mention.brand_id != brand_id or brand is None:
        return  # not a mention this listener captured
    opening = Opening(tenant, brand_id, brand.subsidiary_id, views.mention(mention), label)
    await _open(uow, opening, reach)


async def _rescore(uow: UnitOfWork, row: InboxItemRow, label: str, reach: int) -> None:
    if row.sentiment == label:
        return
    row.sentiment = label
    found = set(row.reasons)
    if label == "NEGATIVE" and row.followers >= reach:
        found.add(Reason.HIGH_REACH_NEGATIVE)
    else:
        found.discard(Reason.HIGH_REACH_NEGATIVE)  # a correction took the reason away
    if found:  # an item never loses its last reason: a person already has it in view
        row.reasons = sorted(found)
        row.reason_mask = _mask(row.reasons)
    rerank(row)
    touch(uow, row, now())


async def _open(uow: UnitOfWork, opening: Opening, reach: int) -> None:
    mention = opening.mention
    facts = MentionFacts(
        text=mention.text,
        language=mention.language,
        followers=mention.author.followers_count,
        replies_to_own_post=await _replies_to_own_post(uow, opening.tenant, mention.reply_to),
        sentiment=opening.sentiment,
    )
    found = reasons(facts, reach)
    if not found:
        return
    moment = now()
    row = InboxItemRow(
        id=new_id(), tenant=opening.tenant, brand_id=opening.brand_id,
        subsidiary_id=opening.subsidiary_id, mention_id=MENTION.parse(mention.name)[2],
        reasons=[int(r) for r in found], reason_mask=_mask(found), followers=facts.followers,
        sentiment=opening.sentiment,
        crisis_id=await open_crisis(uow, opening.tenant, opening.brand_id),
        status=int(Status.NEW), assignee_id="", labels=[], note_count=0, reply="", responder="",
        first_response_breached=False, resolution_breached=False, opened_at=moment,
        updated_at=moment, version=1,
    )  # fmt: skip
    rerank(row)
    values = {c.key: getattr(row, c.key) for c in _ITEMS.columns}
    # Both consumers may open the same mention at once: the unique index keeps one.
    inserted = await uow.session.execute(
        dialect_insert(uow.session, _ITEMS).on_conflict_do_nothing().returning(_ITEMS.c.id),
        [values],
    )
    if inserted.scalar_one_or_none() is None:
        return
    event = events_pb2.InboxItemOpened(
        item=inbox_item(row, moment),
        mention=mention,
        subsidiary=SUBSIDIARY.format(opening.tenant, opening.subsidiary_id),
    )
    uow.emit(INBOX_ITEM_OPENED, opening.tenant, event)


def _mask(found: list[Reason] | list[int]) -> int:
    mask = 0
    for reason in found:
        mask |= 1 << int(reason)
    return mask


async def _item_of(
    uow: UnitOfWork, tenant: str, brand_id: str, mention_id: str
) -> InboxItemRow | None:
    query = select(InboxItemRow).where(
        InboxItemRow.tenant == tenant,
        InboxItemRow.brand_id == brand_id,
        InboxItemRow.mention_id == mention_id,
    )
    return (await uow.session.execute(query)).scalar_one_or_none()


async def _replies_to_own_post(uow: UnitOfWork, tenant: str, reply_to: pb.MentionRef) -> bool:
    references = {reply_to.external_id, reply_to.url} - {""}
    if not references:
        return False
    query = select(PublishedPostRow.reference).where(
        PublishedPostRow.tenant == tenant, PublishedPostRow.reference.in_(references)
    )
    return (await uow.session.execute(query.limit(1))).first() is not None


async def _index_thread(
    uow: UnitOfWork, tenant: str, brand_id: str, mention_id: str, mention: pb.Mention
) -> None:
    parent = mention.reply_to.external_id or mention.reply_to.url
    value = {
        "tenant": tenant, "brand_id": brand_id, "mention_id": mention_id,
        "external_id": mention.external_id[:512], "parent_reference": parent[:512],
        "publish_time": utc(mention.publish_time.ToDatetime()),
    }  # fmt: skip
    await uow.session.execute(
        dialect_insert(uow.session, _THREADS).on_conflict_do_nothing(), [value]
    )
