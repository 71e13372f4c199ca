"""Contracts read in batches and changed while still proposed (a signed contract is what both
sides agreed: it only moves through its lifecycle), and deliverables listed page by page."""

from collections.abc import Sequence
from datetime import UTC

from google.protobuf.field_mask_pb2 import FieldMask
from sqlalchemy import delete, select
from vigie.partnerships.v1 import resources_pb2 as pb
from vigie_runtime.clock import now
from vigie_runtime.errors import FailedPrecondition, InvalidArgument, NotFound
from vigie_runtime.field_masks import check_etag, paths_to_update
from vigie_runtime.principal import Principal
from vigie_runtime.resource_names import require_parent
from vigie_runtime.tenant_rows import Listed, ListRequest, batch, list_page
from vigie_runtime.uow import UnitOfWork

from vigie_partnerships.adapters.orm import CampaignRow, ContractRow, DeliverableRow
from vigie_partnerships.app import campaigns, contracts
from vigie_partnerships.app.common import MANAGERS, require_anywhere, require_batch_size
from vigie_partnerships.app.contract_views import Full, full, full_many
from vigie_partnerships.app.deliverable_terms import deliverable_rows
from vigie_partnerships.app.events import DELIVERABLE_STATUS_TO_PROTO
from vigie_partnerships.app.money import money_of
from vigie_partnerships.app.names import CONTRACT
from vigie_partnerships.domain.contracts import Status

UPDATABLE = ("fee", "payment_terms", "usage_rights_end_time", "deliverables")
_STATUS_OF_PROTO = {v: k for k, v in DELIVERABLE_STATUS_TO_PROTO.items()}


async def batch_get(
    uow: UnitOfWork, who: Principal, parent: str, names: Sequence[str]
) -> list[Full]:
    require_parent(parent, who.tenant)
    campaigns.require_reading(who)
    require_batch_size(names)
    parsed = [CONTRACT.parse_in_tenant(n, who.tenant, "names") for n in names]
    found = await batch(uow, ContractRow, who.tenant, [p[2] for p in parsed])
    for name, (_, campaign_id, contract_id) in zip(names, parsed, strict=True):
        if contract_id not in found or found[contract_id].campaign_id != campaign_id:
            raise NotFound("contract", name)
    return await full_many(uow, [found[p[2]] for p in parsed])


async def update(uow: UnitOfWork, who: Principal, source: pb.Contract, mask: FieldMask) -> Full:
    require_anywhere(who, MANAGERS)
    paths = paths_to_update(mask, UPDATABLE)
    row = (await contracts.get(uow, who, source.name)).contract
    check_etag(source.etag, row.version)
    if row.status != Status.PROPOSED.value:
        raise FailedPrecondition("CONTRACT_NOT_PROPOSED", "only a proposed contract changes")
    campaign = await uow.session.get_one(CampaignRow, row.campaign_id)
    if "fee" in paths:
        fee = money_of(source.fee, "fee")
        if fee.currency != campaign.currency:
            raise InvalidArgument(
                "fee", f"must be in the campaign's {campaign.currency}", "CURRENCY_MISMATCH"
            )
        row.fee_amount = fee.text()
    if "payment_terms" in paths:
        if len(source.payment_terms) > 2000:
            raise InvalidArgument("payment_terms", "at most 2,000 characters")
        row.payment_terms = source.payment_terms
    if "usage_rights_end_time" in paths:
        given = source.usage_rights_end_time
        row.usage_rights_end_at = (
            given.ToDatetime(tzinfo=UTC) if source.HasField("usage_rights_end_time") else None
        )
    if "deliverables" in paths:
        replacing = deliverable_rows(row, campaign, source.deliverables)  # checked first
        await uow.session.execute(
            delete(DeliverableRow).where(
                DeliverableRow.tenant == who.tenant, DeliverableRow.contract_id == row.id
            )
        )
        uow.session.add_all(replacing)
    row.version += 1
    row.updated_at = now()
    return await full(uow, row)


# A contract or campaign has few deliverables: no index beyond theirs.
DELIVERABLE_ORDERS = {"due_time": DeliverableRow.due_at}


async def list_deliverables(
    uow: UnitOfWork,
    who: Principal,
    parent: str,
    statuses: Sequence[pb.DeliverableStatus.ValueType],
    request: ListRequest,
) -> Listed[DeliverableRow]:
    """A contract's deliverables, or a campaign's with `.../contracts/-`, by id unless asked
    by due time."""
    query = select(DeliverableRow).where(DeliverableRow.tenant == who.tenant)
    if parent.endswith("/contracts/-"):
        campaign = await campaigns.get(uow, who, parent.removesuffix("/contracts/-"))
        query = query.where(DeliverableRow.campaign_id == campaign.id)
    else:
        contract = (await contracts.get(uow, who, parent)).contract
        query = query.where(DeliverableRow.contract_id == contract.id)
    wanted = sorted(_STATUS_OF_PROTO[s] for s in statuses if s in _STATUS_OF_PROTO)
    if wanted:
        query = query.where(DeliverableRow.status.in_(wanted))
    fingerprint = ["deliverables", parent, wanted]
    return await list_page(uow, query, DeliverableRow, request, fingerprint, DELIVERABLE_ORDERS)
