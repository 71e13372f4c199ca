"""Contracts with creators inside a campaign, their deliverables and their audit trail."""

from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import Numeric, case, cast, select
from vigie.partnerships.v1 import events_pb2
from vigie.partnerships.v1 import resources_pb2 as pb
from vigie_runtime import idempotency
from vigie_runtime.clock import as_utc as utc
from vigie_runtime.clock import now
from vigie_runtime.errors import FailedPrecondition, InvalidArgument
from vigie_runtime.field_masks import check_etag
from vigie_runtime.ids import new_id
from vigie_runtime.ordering import Derived
from vigie_runtime.principal import Principal
from vigie_runtime.resource_names import require_parent
from vigie_runtime.tenant_rows import Listed, ListRequest, list_page, load
from vigie_runtime.uow import UnitOfWork

from vigie_partnerships.adapters.orm import CampaignRow, ContractRow, CreatorRow
from vigie_partnerships.app import audit, campaigns, events
from vigie_partnerships.app.common import MANAGERS, require_anywhere
from vigie_partnerships.app.contract_views import Full, full, full_many
from vigie_partnerships.app.deliverable_terms import deliverable_rows
from vigie_partnerships.app.money import money_of
from vigie_partnerships.app.names import CAMPAIGN, CONTRACT, CREATOR
from vigie_partnerships.domain.contracts import (
    LIFE_ORDER,
    LIVE,
    RefusedTransition,
    Status,
    Window,
    overlaps,
    status_at_signature,
    transition,
)


async def create(
    uow: UnitOfWork, who: Principal, parent: str, source: pb.Contract, request_id: str
) -> Full:
    require_anywhere(who, MANAGERS)
    campaign = await campaigns.get(uow, who, parent)
    earlier = await idempotency.created_before(uow, who.tenant, request_id, "CreateContract")
    if earlier:
        return await get(uow, who, earlier)
    _, creator_id = CREATOR.parse_in_tenant(source.creator, who.tenant, "creator")
    creator = await uow.session.get(CreatorRow, creator_id)
    if creator is None or creator.tenant != who.tenant:
        raise InvalidArgument(
            "creator", f"{source.creator} is not a known creator", "UNKNOWN_CREATOR"
        )
    fee = money_of(source.fee, "fee")
    if fee.currency != campaign.currency:
        raise InvalidArgument(
            "fee", f"must be in the campaign's {campaign.currency}", "CURRENCY_MISMATCH"
        )
    if len(source.payment_terms) > 2000:
        raise InvalidArgument("payment_terms", "at most 2,000 characters")
    await refuse_overlap(uow, campaign, creator_id)
    moment = now()
    row = ContractRow(
        id=new_id(),
        tenant=who.tenant,
        campaign_id=campaign.id,
        creator_id=creator_id,
        fee_amount=fee.text(),
        currency=fee.currency,
        payment_terms=source.payment_terms,
        usage_rights_end_at=source.usage_rights_end_time.ToDatetime(tzinfo=UTC)
        if source.HasField("usage_rights_end_time")
        else None,
        status=Status.PROPOSED,
        version=1,
        created_at=moment,
        updated_at=moment,
    )
    uow.session.add(row)
    uow.session.add_all(deliverable_rows(row, campaign, source.deliverables))
    audit.record(uow, row, who.subject, "", Status.PROPOSED, "proposed")
    await uow.session.flush()
    name = CONTRACT.format(who.tenant, campaign.id, row.id)
    await idempotency.remember(uow, who.tenant, request_id, "CreateContract", name)
    return await full(uow, row)


async def refuse_overlap(
    uow: UnitOfWork, campaign: CampaignRow, creator_id: str, moved: bool = False
) -> None:
    """CONTRACT_OVERLAP when the creator has a live contract for one of the campaign's brands on
    the same days, or already one in this campaign (unless the campaign itself `moved`)."""
    query = (
        select(CampaignRow)
        .join(ContractRow, ContractRow.campaign_id == CampaignRow.id)
        .where(
            ContractRow.tenant == campaign.tenant,
            ContractRow.creator_id == creator_id,
            ContractRow.status.in_([s.value for s in LIVE]),
        )
    )
    new = _window(campaign)
    for other in (await uow.session.execute(query)).scalars():
        if other.id == campaign.id and moved:
            continue
        if other.id == campaign.id or overlaps(new, _window(other)):
            raise FailedPrecondition(
                "CONTRACT_OVERLAP",
                f"the creator already has a live contract in campaign {other.display_name!r} "
                "for the same brand and days",
            )


def _window(campaign: CampaignRow) -> Window:
    return Window(utc(campaign.start_at), utc(campaign.end_at), frozenset(campaign.brands))


async def get(uow: UnitOfWork, who: Principal, name: str) -> Full:
    row = await _load(uow, who, name)
    return await full(uow, row)


async def _load(uow: UnitOfWork, who: Principal, name: str) -> ContractRow:
    _, campaign_id, contract_id = CONTRACT.parse_in_tenant(name, who.tenant)
    await campaigns.get(uow, who, CAMPAIGN.format(who.tenant, campaign_id))
    row = await load(uow, ContractRow, "contract", who.tenant, contract_id, name)
    if row.campaign_id != campaign_id:
        raise InvalidArgument("name", f"{name} is not a contract of that campaign")
    return row


# A campaign has few contracts: no index beyond the campaign's. A fee is a decimal kept as text
# (sorted by its value); a status by its place in a contract's life.
ORDERS = {
    "create_time": ContractRow.created_at,
    "fee": Derived(ContractRow.fee_amount, cast(ContractRow.fee_amount, Numeric()), str),
    "status": Derived(
        ContractRow.status,
        case({s.value: place for s, place in LIFE_ORDER.items()}, value=ContractRow.status),
        lambda status: LIFE_ORDER[Status(status)],
    ),
}


async def list_(
    uow: UnitOfWork,
    who: Principal,
    parent: str,
    statuses: Sequence[pb.ContractStatus.ValueType],
    creator: str,
    request: ListRequest,
) -> Listed[Full]:
    """A campaign's contracts, or every campaign's with `tenants/{t}/campaigns/-`, by id unless
    asked otherwise; fees compare only within a campaign (its currency)."""
    query = select(ContractRow).where(ContractRow.tenant == who.tenant)
    if parent.endswith("/campaigns/-"):
        require_parent(parent.removesuffix("/campaigns/-"), who.tenant)
        campaigns.require_reading(who)
        if request.order_by.split()[:1] == ["fee"]:
            raise InvalidArgument("order_by", "fee sorts one campaign's contracts only")
    else:
        query = query.where(ContractRow.campaign_id == (await campaigns.get(uow, who, parent)).id)
    if creator:
        query = query.where(
            ContractRow.creator_id == CREATOR.parse_in_tenant(creator, who.tenant, "creator")[1]
        )
    wanted = [events.STATUS_OF_PROTO[s] for s in statuses if s in events.STATUS_OF_PROTO]
    if wanted:
        query = query.where(ContractRow.status.in_([s.value for s in wanted]))
    fingerprint = ["contracts", parent, sorted(s.value for s in wanted), creator]
    listed = await list_page(uow, query, ContractRow, request, fingerprint, ORDERS)
    contracts = await full_many(uow, list(listed.rows))
    return Listed(contracts, listed.next_page_token, listed.total_size)


async def sign(
    uow: UnitOfWork, who: Principal, name: str, etag: str, signed: datetime | None
) -> Full:
    require_anywhere(who, MANAGERS)
    row = await _load(uow, who, name)
    check_etag(etag, row.version)
    campaign = await uow.session.get_one(CampaignRow, row.campaign_id)
    moment = signed if signed is not None else now()
    wanted = status_at_signature(utc(campaign.start_at), moment)
    _move(row, Status.SIGNED)
    row.signed_at = moment
    audit.record(uow, row, who.subject, Status.PROPOSED, Status.SIGNED, "signed")
    if wanted is Status.ACTIVE:
        _move(row, Status.ACTIVE)
        audit.record(uow, row, "system", Status.SIGNED, Status.ACTIVE, "campaign running")
    result = await full(uow, row)
    uow.emit(events.CONTRACT_SIGNED, who.tenant, events_pb2.ContractSigned(contract=result.view()))
    return result


async def cancel(uow: UnitOfWork, who: Principal, name: str, etag: str, reason: str) -> Full:
    require_anywhere(who, MANAGERS)
    row = await _load(uow, who, name)
    check_etag(etag, row.version)
    if len(reason) > 2000:
        raise InvalidArgument("reason", "at most 2,000 characters")
    before = Status(row.status)
    _move(row, Status.CANCELLED)
    audit.record(uow, row, who.subject, before, Status.CANCELLED, reason)
    result = await full(uow, row)
    message = events_pb2.ContractCancelled(contract=result.view(), reason=reason)
    uow.emit(events.CONTRACT_CANCELLED, who.tenant, message)
    return result


def _move(row: ContractRow, wanted: Status) -> None:
    try:
        row.status = transition(Status(row.status), wanted)
    except RefusedTransition as refused:
        raise FailedPrecondition(refused.reason, str(refused)) from None
    row.version += 1
    row.updated_at = now()
