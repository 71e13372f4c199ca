"""Deliverables verified from the posts that arrive as mentions, and marked missed when due.

A contracted creator's post inside the campaign window, on the deliverable's network and before
its due time, that carries the required terms counts once (the mention's name is kept, so a
redelivered mention counts nothing). The deliverable is fulfilled when enough posts counted;
the contract completes when every deliverable is fulfilled or missed.
"""

from datetime import datetime

from sqlalchemy import select
from vigie.partnerships.v1 import events_pb2
from vigie_runtime.clock import as_utc as utc
from vigie_runtime.clock import now
from vigie_runtime.uow import UnitOfWork

from vigie_partnerships.adapters.orm import (
    CampaignRow,
    ContractRow,
    CreatorMentionRow,
    DeliverableRow,
)
from vigie_partnerships.app import audit, events
from vigie_partnerships.app.contract_views import deliverable, full
from vigie_partnerships.app.names import CONTRACT, CREATOR
from vigie_partnerships.domain.contracts import Status, transition
from vigie_partnerships.domain.deliverables import Terms, judge

SYSTEM = "system"


async def verify_post(uow: UnitOfWork, post: CreatorMentionRow) -> None:
    published = utc(post.published_at)
    query = (
        select(DeliverableRow, ContractRow)
        .join(ContractRow, ContractRow.id == DeliverableRow.contract_id)
        .join(CampaignRow, CampaignRow.id == ContractRow.campaign_id)
        .where(
            ContractRow.tenant == post.tenant,
            ContractRow.creator_id == post.creator_id,
            ContractRow.status.in_([Status.SIGNED.value, Status.ACTIVE.value]),
            CampaignRow.start_at <= published,
            CampaignRow.end_at >= published,
            DeliverableRow.status == "pending",
            DeliverableRow.network == post.network,
            DeliverableRow.due_at >= published,
        )
    )
    touched: dict[str, ContractRow] = {}
    for item, contract in (await uow.session.execute(query)).all():
        verdict = judge(_terms(item), post.text, post.url)
        if verdict.disclosure_missing:
            item.disclosure_missing = True
        if not verdict.counts or post.mention in item.matched:
            continue
        item.matched = [*item.matched, post.mention]
        item.fulfilled_count += 1
        if item.fulfilled_count >= item.count:
            item.status, item.fulfilled_at = "fulfilled", now()
            _emit(uow, True, item, contract)
        touched[contract.id] = contract
    for contract in touched.values():
        await complete_if_done(uow, contract)


async def sweep(uow: UnitOfWork, moment: datetime, limit: int = 500) -> int:
    """Signed contracts of started campaigns become active; pending deliverables past due are
    missed. Returns how many rows changed."""
    started = (
        select(ContractRow)
        .join(CampaignRow, CampaignRow.id == ContractRow.campaign_id)
        .where(ContractRow.status == Status.SIGNED.value, CampaignRow.start_at <= moment)
        .limit(limit)
    )
    changed = 0
    for contract in (await uow.session.execute(started)).scalars():
        _move(uow, contract, Status.ACTIVE, "campaign started")
        changed += 1
    overdue = (
        select(DeliverableRow, ContractRow)
        .join(ContractRow, ContractRow.id == DeliverableRow.contract_id)
        .where(
            DeliverableRow.status == "pending",
            DeliverableRow.due_at < moment,
            ContractRow.status.in_([Status.SIGNED.value, Status.ACTIVE.value]),
        )
        .limit(limit)
    )
    for item, contract in (await uow.session.execute(overdue)).all():
        item.status = "missed"
        _emit(uow, False, item, contract)
        await complete_if_done(uow, contract)
        changed += 1
    return changed


async def complete_if_done(uow: UnitOfWork, contract: ContractRow) -> None:
    await uow.session.flush()
    query = select(DeliverableRow.status).where(
        DeliverableRow.tenant == contract.tenant, DeliverableRow.contract_id == contract.id
    )
    statuses = set((await uow.session.execute(query)).scalars())
    if "pending" in statuses or contract.status == Status.COMPLETED:
        return
    if contract.status == Status.SIGNED:
        _move(uow, contract, Status.ACTIVE, "deliverables arrived")
    _move(uow, contract, Status.COMPLETED, "every deliverable fulfilled or missed")
    message = events_pb2.ContractCompleted(contract=(await full(uow, contract)).view())
    uow.emit(events.CONTRACT_COMPLETED, contract.tenant, message)


def _move(uow: UnitOfWork, contract: ContractRow, wanted: Status, note: str) -> None:
    before = contract.status
    contract.status = transition(Status(before), wanted)
    contract.version += 1
    contract.updated_at = now()
    audit.record(uow, contract, SYSTEM, before, wanted, note)


def _terms(item: DeliverableRow) -> Terms:
    return Terms(
        tuple(item.hashtags), tuple(item.mentions), tuple(item.links), tuple(item.codes),
        item.disclosure,
    )  # fmt: skip


def _emit(uow: UnitOfWork, fulfilled: bool, item: DeliverableRow, contract: ContractRow) -> None:
    view = deliverable(item)
    name = CONTRACT.format(contract.tenant, contract.campaign_id, contract.id)
    creator = CREATOR.format(contract.tenant, contract.creator_id)
    if fulfilled:
        message = events_pb2.DeliverableFulfilled(deliverable=view, contract=name, creator=creator)
        uow.emit(events.DELIVERABLE_FULFILLED, contract.tenant, message)
    else:
        missed = events_pb2.DeliverableMissed(deliverable=view, contract=name, creator=creator)
        uow.emit(events.DELIVERABLE_MISSED, contract.tenant, missed)
