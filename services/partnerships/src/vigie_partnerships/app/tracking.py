"""Tracking codes of a campaign's contracts, and the conversions partners report against them."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC

from sqlalchemy import select
from vigie.partnerships.v1 import resources_pb2 as pb
from vigie_runtime import idempotency
from vigie_runtime.clock import now
from vigie_runtime.errors import AlreadyExists, InvalidArgument
from vigie_runtime.ids import new_id
from vigie_runtime.principal import Principal, PrincipalKind
from vigie_runtime.uow import UnitOfWork

from vigie_partnerships.adapters.orm import (
    CampaignRow,
    ContractRow,
    ConversionRow,
    CreatorAccountRow,
    TrackingCodeRow,
)
from vigie_partnerships.app import campaigns, contracts, tracking_reads
from vigie_partnerships.app.common import MANAGERS, require_anywhere
from vigie_partnerships.app.names import BRAND, TRACKING_CODE
from vigie_partnerships.domain.money import InvalidMoney, parse_money
from vigie_partnerships.domain.tracking import CODE, code_key, generated_code, tracked_link

REPORT_SCOPE = "conversions.report"
MAX_CONVERSIONS = 1000
_CREATE = "CreateTrackingCode"
_KINDS = {pb.TRACKING_CODE_KIND_COUPON: "coupon", pb.TRACKING_CODE_KIND_LINK: "link"}


async def create_code(
    uow: UnitOfWork, who: Principal, parent: str, source: pb.TrackingCode, request_id: str = ""
) -> TrackingCodeRow:
    require_anywhere(who, MANAGERS)
    campaign = await campaigns.get(uow, who, parent)
    if earlier := await idempotency.created_before(uow, who.tenant, request_id, _CREATE):
        return await tracking_reads.get_code(uow, who, earlier)
    contract = (await contracts.get(uow, who, source.contract)).contract
    if contract.campaign_id != campaign.id:
        raise InvalidArgument("tracking_code.contract", "is not a contract of this campaign")
    kind = _KINDS.get(source.kind)
    if kind is None:
        raise InvalidArgument("tracking_code.kind", "COUPON or LINK")
    taken = await _taken(uow, who.tenant)
    if source.code:
        code = code_key(source.code)
        if not CODE.match(code):
            raise InvalidArgument("tracking_code.code", "3 to 40 letters, digits, '-' or '_'")
        if code in taken:
            raise AlreadyExists("CODE_TAKEN", f"the code {code} is already in use")
    else:
        code = generated_code(
            await _handle(uow, contract), campaign.display_name, taken.__contains__
        )
    url = ""
    if kind == "link":
        try:
            url = tracked_link(source.destination_url, campaign.id, code)
        except ValueError as error:
            raise InvalidArgument("tracking_code.destination_url", str(error)) from None
    row = TrackingCodeRow(
        id=new_id(), tenant=who.tenant, campaign_id=campaign.id, contract_id=contract.id,
        code=code, code_key=code, kind=kind, destination_url=url, created_at=now(),
    )  # fmt: skip
    uow.session.add(row)
    name = TRACKING_CODE.format(who.tenant, campaign.id, row.id)
    await idempotency.remember(uow, who.tenant, request_id, _CREATE, name)
    return row


async def _taken(uow: UnitOfWork, tenant: str) -> set[str]:
    query = select(TrackingCodeRow.code_key).where(TrackingCodeRow.tenant == tenant)
    return set((await uow.session.execute(query)).scalars())


async def _handle(uow: UnitOfWork, contract: ContractRow) -> str:
    query = (
        select(CreatorAccountRow.handle)
        .where(
            CreatorAccountRow.tenant == contract.tenant,
            CreatorAccountRow.creator_id == contract.creator_id,
        )
        .order_by(CreatorAccountRow.followers.desc())
        .limit(1)
    )
    return (await uow.session.execute(query)).scalar() or "creator"


@dataclass
class ConversionReport:
    accepted: int = 0
    duplicates: int = 0
    # (order id, reason, message)
    refusals: list[tuple[str, str, str]] = field(default_factory=list)


async def report(
    uow: UnitOfWork, who: Principal, parent: str, sales: Sequence[pb.Conversion]
) -> ConversionReport:
    campaign = await _reportable(uow, who, parent)
    if len(sales) > MAX_CONVERSIONS:
        raise InvalidArgument("conversions", f"at most {MAX_CONVERSIONS} per call")
    codes_query = select(TrackingCodeRow).where(
        TrackingCodeRow.tenant == who.tenant, TrackingCodeRow.campaign_id == campaign.id
    )
    codes = {c.code_key: c for c in (await uow.session.execute(codes_query)).scalars()}
    orders = [s.order_id.strip() for s in sales if s.order_id.strip()]
    known_query = select(ConversionRow.order_id).where(
        ConversionRow.tenant == who.tenant, ConversionRow.order_id.in_(orders)
    )
    seen = set((await uow.session.execute(known_query)).scalars())
    result = ConversionReport()
    for sale in sales:
        order = sale.order_id.strip()
        if order in seen:
            result.duplicates += 1
            continue
        refusal = _refusal(sale, order, codes, campaign)
        if refusal:
            result.refusals.append((order, *refusal))
            continue
        seen.add(order)
        code = codes[code_key(sale.code)]
        uow.session.add(
            ConversionRow(
                id=new_id(), tenant=who.tenant, campaign_id=campaign.id,
                tracking_code_id=code.id, code=code.code, order_id=order,
                revenue_amount=parse_money(sale.revenue.amount, sale.revenue.currency_code).text(),
                currency=campaign.currency,
                occur_at=sale.occur_time.ToDatetime(tzinfo=UTC)
                if sale.HasField("occur_time") else now(),
                report_at=now(),
            )
        )  # fmt: skip
        result.accepted += 1
    return result


async def _reportable(uow: UnitOfWork, who: Principal, parent: str) -> CampaignRow:
    if who.kind is PrincipalKind.PARTNER:
        who.require_scope(REPORT_SCOPE)
        campaign = await campaigns.get_unchecked(uow, who, parent)
        names = [BRAND.format(who.tenant, b) for b in campaign.brands]
        # A partner reports for a campaign of one of its brands.
        who.require_scope(REPORT_SCOPE, next((n for n in names if n in who.brands), names[0]))
        return campaign
    require_anywhere(who, MANAGERS)
    return await campaigns.get(uow, who, parent)


def _refusal(
    sale: pb.Conversion, order: str, codes: dict[str, TrackingCodeRow], campaign: CampaignRow
) -> tuple[str, str] | None:
    if not order or len(order) > 128:
        return ("INVALID_ORDER_ID", "order_id: 1 to 128 characters")
    if code_key(sale.code) not in codes:
        return ("UNKNOWN_CODE", f"{sale.code!r} is not a tracking code of this campaign")
    try:
        revenue = parse_money(sale.revenue.amount, sale.revenue.currency_code)
    except InvalidMoney as refused:
        return (refused.reason, refused.message)
    if revenue.currency != campaign.currency:
        return ("CURRENCY_MISMATCH", f"the campaign is in {campaign.currency}")
    return None
