"""Tracking codes read, listed and deleted, and the conversions attributed to them listed.
Deleting a code stops new sales from counting; the conversions already attributed stay."""

from sqlalchemy import select
from vigie_runtime.errors import InvalidArgument
from vigie_runtime.principal import Principal
from vigie_runtime.tenant_rows import Listed, ListRequest, list_page, load
from vigie_runtime.uow import UnitOfWork

from vigie_partnerships.adapters.orm import ConversionRow, TrackingCodeRow
from vigie_partnerships.app import campaigns, contracts
from vigie_partnerships.app.common import MANAGERS, require_anywhere
from vigie_partnerships.app.names import TRACKING_CODE


async def get_code(uow: UnitOfWork, who: Principal, name: str) -> TrackingCodeRow:
    _, campaign_id, code_id = TRACKING_CODE.parse_in_tenant(name, who.tenant)
    campaign = await campaigns.get(uow, who, name.split("/trackingCodes/", maxsplit=1)[0])
    row = await load(uow, TrackingCodeRow, "tracking_code", who.tenant, code_id, name)
    if row.campaign_id != campaign.id or campaign.id != campaign_id:
        raise InvalidArgument("name", f"{name} is not a tracking code of that campaign")
    return row


# A campaign has few codes and conversions per code: no index beyond the campaign's.
CODE_ORDERS = {"create_time": TrackingCodeRow.created_at, "code": TrackingCodeRow.code}
CONVERSION_ORDERS = {"occur_time": ConversionRow.occur_at, "report_time": ConversionRow.report_at}


async def list_codes(
    uow: UnitOfWork, who: Principal, parent: str, contract: str, request: ListRequest
) -> Listed[TrackingCodeRow]:
    campaign = await campaigns.get(uow, who, parent)
    query = select(TrackingCodeRow).where(
        TrackingCodeRow.tenant == who.tenant, TrackingCodeRow.campaign_id == campaign.id
    )
    if contract:
        row = (await contracts.get(uow, who, contract)).contract
        query = query.where(TrackingCodeRow.contract_id == row.id)
    fingerprint = ["codes", parent, contract]
    return await list_page(uow, query, TrackingCodeRow, request, fingerprint, CODE_ORDERS)


async def delete_code(uow: UnitOfWork, who: Principal, name: str) -> None:
    require_anywhere(who, MANAGERS)
    await uow.session.delete(await get_code(uow, who, name))


async def list_conversions(
    uow: UnitOfWork, who: Principal, parent: str, tracking_code: str, request: ListRequest
) -> Listed[ConversionRow]:
    """In the order they were reported, unless asked otherwise."""
    campaign = await campaigns.get(uow, who, parent)
    query = select(ConversionRow).where(
        ConversionRow.tenant == who.tenant, ConversionRow.campaign_id == campaign.id
    )
    if tracking_code:
        code = await get_code(uow, who, tracking_code)
        query = query.where(ConversionRow.tracking_code_id == code.id)
    fingerprint = ["conversions", parent, tracking_code]
    return await list_page(uow, query, ConversionRow, request, fingerprint, CONVERSION_ORDERS)
