"""Reading the inbox: one item, or a page of a subsidiary's or a brand's items, most urgent
first. An item of a subsidiary the caller has no role in does not exist for it."""

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, exists, select
from vigie.listener.v1 import inbox_pb2 as rpc
from vigie_runtime.errors import InvalidArgument, NotFound, PermissionDenied
from vigie_runtime.ordering import parse_order_by
from vigie_runtime.principal import READ_ROLES, Principal, PrincipalKind
from vigie_runtime.tenant_rows import count, page
from vigie_runtime.uow import UnitOfWork

from vigie_listener.adapters.orm import InboxItemRow, InboxLabelRow
from vigie_listener.app.names import BRAND, INBOX_ITEM, MEMBER, SUBSIDIARY
from vigie_listener.domain.inbox_status import Status


def require_user(who: Principal) -> None:
    """The inbox is the brand's team's: partner clients have no business in it."""
    if who.kind is PrincipalKind.PARTNER:
        raise PermissionDenied("SCOPE_REQUIRED", "the engagement inbox is not open to partners")


def subsidiary_name(row: InboxItemRow) -> str:
    return SUBSIDIARY.format(row.tenant, row.subsidiary_id)


async def readable_item(
    uow: UnitOfWork, who: Principal, name: str, field: str = "name"
) -> InboxItemRow:
    require_user(who)
    tenant, brand_id, item_id = INBOX_ITEM.parse_in_tenant(name, who.tenant, field)
    row = await uow.session.get(InboxItemRow, item_id)
    if (
        row is None
        or row.tenant != tenant
        or row.brand_id != brand_id
        or not who.holds(READ_ROLES, subsidiary_name(row))
    ):
        raise NotFound("inbox_item", name)
    return row


@dataclass(frozen=True)
class Scope:
    """A subsidiary or a brand: whose inbox."""

    tenant: str
    column: Any
    value: str


def scope_of(who: Principal, parent: str, field: str = "parent") -> Scope:
    """The subsidiary or brand named by `parent`; the caller must read it. A brand's subsidiary
    is checked per row (the replica may not know it yet), so a brand scope only needs the
    tenant here and rows outside the caller's subsidiaries are filtered out."""
    require_user(who)
    if parent.split("/")[2:3] == ["brands"]:
        tenant, brand_id = BRAND.parse_in_tenant(parent, who.tenant, field)
        return Scope(tenant, InboxItemRow.brand_id, brand_id)
    tenant, subsidiary_id = SUBSIDIARY.parse_in_tenant(parent, who.tenant, field)
    who.require(READ_ROLES, SUBSIDIARY.format(tenant, subsidiary_id))
    return Scope(tenant, InboxItemRow.subsidiary_id, subsidiary_id)


def scoped(who: Principal, scope: Scope) -> Select[InboxItemRow]:
    query = select(InboxItemRow).where(
        InboxItemRow.tenant == scope.tenant, scope.column == scope.value
    )
    allowed = who.subsidiaries_with(READ_ROLES)
    if allowed is not None:
        ids = [SUBSIDIARY.parse(s, "subsidiary")[1] for s in allowed]
        query = query.where(InboxItemRow.subsidiary_id.in_(ids))
    return query


def _filtered(
    who: Principal, query: Select[InboxItemRow], request: rpc.ListInboxItemsRequest
) -> Select[InboxItemRow]:
    if request.statuses:
        statuses = [int(Status(s)) for s in _valid_statuses(request)]
        query = query.where(InboxItemRow.status.in_(statuses))
    if request.assignee:
        _, member_id = MEMBER.parse_in_tenant(request.assignee, who.tenant, "assignee")
        query = query.where(InboxItemRow.assignee_id == member_id)
    if request.label:
        query = query.where(
            exists().where(
                InboxLabelRow.tenant == InboxItemRow.tenant,
                InboxLabelRow.item_id == InboxItemRow.id,
                InboxLabelRow.label == request.label,
            )
        )
    if request.reason:
        if request.reason not in (1, 2, 3, 4):
            raise InvalidArgument("reason", "is not an InboxReason")
        query = query.where(InboxItemRow.reason_mask.op("&")(1 << request.reason) != 0)
    return query


def _valid_statuses(request: rpc.ListInboxItemsRequest) -> list[int]:
    if any(s not in (1, 2, 3, 4) for s in request.statuses):
        raise InvalidArgument("statuses", "holds a value that is not an InboxStatus")
    return list(request.statuses)


# The inbox is large: (tenant, brand or subsidiary, rank_key, id) is indexed for the urgency
# order; the open_time order (oldest waiting first) reads the tenant's filtered items.
INBOX_ORDERS = {"urgency": InboxItemRow.rank_key, "open_time": InboxItemRow.opened_at}


async def list_(
    uow: UnitOfWork, who: Principal, request: rpc.ListInboxItemsRequest
) -> tuple[list[InboxItemRow], str]:
    """Most urgent first unless asked otherwise."""
    fingerprint = [
        request.parent, sorted(request.statuses), request.assignee, request.label, request.reason
    ]  # fmt: skip
    order = parse_order_by(request.order_by, INBOX_ORDERS, "urgency desc")
    rows, token = await page(
        uow, _listed(who, request), InboxItemRow, request.page_size, request.page_token,
        fingerprint, order,
    )  # fmt: skip
    return list(rows), token


async def total(uow: UnitOfWork, who: Principal, request: rpc.ListInboxItemsRequest) -> int:
    """How many items the list's filter matches, within what the caller may read."""
    return await count(uow, _listed(who, request))


def _listed(who: Principal, request: rpc.ListInboxItemsRequest) -> Select[Any]:
    return _filtered(who, scoped(who, scope_of(who, request.parent)), request)
