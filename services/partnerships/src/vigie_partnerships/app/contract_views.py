"""A contract with its deliverables and audit trail, read in few queries, as the message."""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from vigie.partnerships.v1 import resources_pb2 as pb
from vigie_runtime.uow import UnitOfWork

from vigie_partnerships.adapters.orm import ContractChangeRow, ContractRow, DeliverableRow
from vigie_partnerships.app.events import (
    DELIVERABLE_STATUS_TO_PROTO,
    KIND_TO_PROTO,
    STATUS_TO_PROTO,
)
from vigie_partnerships.app.names import CONTRACT, CREATOR, DELIVERABLE
from vigie_partnerships.app.views import stamp
from vigie_partnerships.domain.contracts import Status


@dataclass(frozen=True)
class Full:
    contract: ContractRow
    deliverables: list[DeliverableRow]
    changes: list[ContractChangeRow]

    def view(self) -> pb.Contract:
        row = self.contract
        message = pb.Contract(
            name=CONTRACT.format(row.tenant, row.campaign_id, row.id),
            creator=CREATOR.format(row.tenant, row.creator_id),
            fee=pb.Money(amount=row.fee_amount, currency_code=row.currency),
            payment_terms=row.payment_terms,
            deliverables=[deliverable(d) for d in self.deliverables],
            status=STATUS_TO_PROTO[Status(row.status)],
            create_time=stamp(row.created_at),
            update_time=stamp(row.updated_at),
            etag=str(row.version),
            history=[
                pb.ContractChange(
                    time=stamp(c.at),
                    actor=c.actor,
                    from_status=STATUS_TO_PROTO[Status(c.from_status)]
                    if c.from_status
                    else pb.CONTRACT_STATUS_UNSPECIFIED,
                    to_status=STATUS_TO_PROTO[Status(c.to_status)],
                    note=c.note,
                )
                for c in self.changes
            ],
        )
        if row.usage_rights_end_at is not None:
            message.usage_rights_end_time.CopyFrom(stamp(row.usage_rights_end_at))
        if row.signed_at is not None:
            message.sign_time.CopyFrom(stamp(row.signed_at))
        return message


def deliverable(row: DeliverableRow) -> pb.Deliverable:
    message = pb.Deliverable(
        name=DELIVERABLE.format(row.tenant, row.campaign_id, row.contract_id, row.id),
        network=row.network,
        kind=KIND_TO_PROTO[row.kind],
        count=row.count,
        due_time=stamp(row.due_at),
        required_hashtags=row.hashtags,
        required_mentions=row.mentions,
        required_links=row.links,
        required_codes=row.codes,
        disclosure=row.disclosure,
        status=DELIVERABLE_STATUS_TO_PROTO[row.status],
        fulfilled_count=row.fulfilled_count,
        matched_mentions=row.matched,
        disclosure_missing=row.disclosure_missing,
    )
    if row.fulfilled_at is not None:
        message.fulfill_time.CopyFrom(stamp(row.fulfilled_at))
    return message


async def full(uow: UnitOfWork, row: ContractRow) -> Full:
    return (await full_many(uow, [row]))[0]


async def full_many(uow: UnitOfWork, rows: Sequence[ContractRow]) -> list[Full]:
    ids = [r.id for r in rows]
    if not ids:
        return []
    await uow.session.flush()
    tenant = rows[0].tenant
    deliverables: dict[str, list[DeliverableRow]] = defaultdict(list)
    query = select(DeliverableRow).where(
        DeliverableRow.tenant == tenant, DeliverableRow.contract_id.in_(ids)
    )
    for d in (await uow.session.execute(query.order_by(DeliverableRow.id))).scalars():
        deliverables[d.contract_id].append(d)
    changes: dict[str, list[ContractChangeRow]] = defaultdict(list)
    query2 = select(ContractChangeRow).where(
        ContractChangeRow.tenant == tenant, ContractChangeRow.contract_id.in_(ids)
    )
    for c in (
        await uow.session.execute(query2.order_by(ContractChangeRow.at, ContractChangeRow.id))
    ).scalars():
        changes[c.contract_id].append(c)
    return [Full(r, deliverables[r.id], changes[r.id]) for r in rows]
