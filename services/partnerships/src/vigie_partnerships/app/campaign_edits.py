"""Campaigns read in batches, changed field by field, and deleted while nothing was signed."""

from collections.abc import Sequence

from google.protobuf.field_mask_pb2 import FieldMask
from sqlalchemy import delete, func, select
from vigie.partnerships.v1 import resources_pb2 as pb
from vigie_runtime.clock import as_utc as utc
from vigie_runtime.clock import now
from vigie_runtime.errors import FailedPrecondition, InvalidArgument, NotFound
from vigie_runtime.field_masks import check_etag, paths_to_update
from vigie_runtime.principal import Principal
from vigie_runtime.resource_names import require_parent
from vigie_runtime.tenant_rows import batch
from vigie_runtime.uow import UnitOfWork

from vigie_partnerships.adapters.orm import (
    CampaignRow,
    ContractChangeRow,
    ContractRow,
    ConversionRow,
    DeliverableRow,
    TrackingCodeRow,
)
from vigie_partnerships.app import campaigns, contracts
from vigie_partnerships.app.common import MANAGERS, require_anywhere, require_batch_size
from vigie_partnerships.app.money import money_of
from vigie_partnerships.app.names import CAMPAIGN
from vigie_partnerships.domain.contracts import LIVE, Status

UPDATABLE = ("display_name", "brief", "start_time", "end_time", "budget", "goals")
# Contracts a campaign can be deleted with (nothing was promised yet, or it was called off).
UNSIGNED = (Status.PROPOSED.value, Status.CANCELLED.value)


async def batch_get(
    uow: UnitOfWork, who: Principal, parent: str, names: Sequence[str]
) -> list[CampaignRow]:
    require_parent(parent, who.tenant)
    campaigns.require_reading(who)
    require_batch_size(names)
    ids = [CAMPAIGN.parse_in_tenant(n, who.tenant, "names")[1] for n in names]
    found = await batch(uow, CampaignRow, who.tenant, ids)
    for name, campaign_id in zip(names, ids, strict=True):
        if campaign_id not in found:
            raise NotFound("campaign", name)
    return [found[i] for i in ids]


async def update(
    uow: UnitOfWork, who: Principal, source: pb.Campaign, mask: FieldMask
) -> CampaignRow:
    require_anywhere(who, MANAGERS)
    paths = paths_to_update(mask, UPDATABLE)
    row = await campaigns.get(uow, who, source.name)
    check_etag(source.etag, row.version)
    if "display_name" in paths:
        row.display_name = source.display_name.strip()
        if not 1 <= len(row.display_name) <= 200:
            raise InvalidArgument("display_name", "1 to 200 characters")
    if "brief" in paths:
        if len(source.brief) > 20_000:
            raise InvalidArgument("brief", "at most 20,000 characters")
        row.brief = source.brief
    if "start_time" in paths:
        row.start_at = campaigns.required_time(source.start_time, "start_time")
    if "end_time" in paths:
        row.end_at = campaigns.required_time(source.end_time, "end_time")
    if utc(row.end_at) <= utc(row.start_at):
        raise InvalidArgument("end_time", "must be after start_time")
    if paths & {"start_time", "end_time"}:
        await _refuse_overlaps(uow, row)
    if "budget" in paths:
        budget = money_of(source.budget, "budget")
        if budget.currency != row.currency:  # fees and sales are held in it
            raise InvalidArgument("budget", f"stays in {row.currency}", "CURRENCY_MISMATCH")
        row.budget_amount = budget.text()
    if "goals" in paths:
        row.goals = campaigns.checked_goals(source.goals)
    row.version += 1
    row.updated_at = now()
    return row


async def _refuse_overlaps(uow: UnitOfWork, campaign: CampaignRow) -> None:
    """Moved dates must not make a creator's live contracts overlap."""
    live = select(ContractRow.creator_id).where(
        ContractRow.tenant == campaign.tenant,
        ContractRow.campaign_id == campaign.id,
        ContractRow.status.in_([s.value for s in LIVE]),
    )
    for creator_id in sorted(set((await uow.session.execute(live)).scalars())):
        await contracts.refuse_overlap(uow, campaign, creator_id, moved=True)


async def delete_campaign(uow: UnitOfWork, who: Principal, name: str, etag: str) -> None:
    require_anywhere(who, MANAGERS)
    row = await campaigns.get(uow, who, name)
    check_etag(etag, row.version)
    mine = (ContractRow.tenant == who.tenant) & (ContractRow.campaign_id == row.id)
    signed = select(func.count()).where(mine, ContractRow.status.not_in(UNSIGNED))
    sold = select(func.count()).where(
        ConversionRow.tenant == who.tenant, ConversionRow.campaign_id == row.id
    )
    if (await uow.session.execute(signed)).scalar_one():
        raise FailedPrecondition("CAMPAIGN_HAS_SIGNED_CONTRACTS", "signed contracts are kept")
    if (await uow.session.execute(sold)).scalar_one():
        raise FailedPrecondition("CAMPAIGN_HAS_CONVERSIONS", "reported sales are kept")
    contract_ids = select(ContractRow.id).where(mine).scalar_subquery()
    for model in (DeliverableRow, ContractChangeRow):
        await uow.session.execute(
            delete(model).where(model.tenant == who.tenant, model.contract_id.in_(contract_ids))
        )
    await uow.session.execute(
        delete(TrackingCodeRow).where(
            TrackingCodeRow.tenant == who.tenant, TrackingCodeRow.campaign_id == row.id
        )
    )
    await uow.session.execute(delete(ContractRow).where(mine))
    await uow.session.delete(row)
