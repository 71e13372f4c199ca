"""Reading crises within the caller's tenant, most recently opened first."""

from datetime import datetime

from sqlalchemy import select
from vigie.reputation.v1 import reputation_pb2 as rpc
from vigie_runtime import tenant_rows
from vigie_runtime.errors import InvalidArgument, NotFound
from vigie_runtime.pagination import decode_page_token, encode_page_token, page_size
from vigie_runtime.principal import READ_ROLES, current_principal
from vigie_runtime.resource_names import ResourcePattern, require_parent
from vigie_runtime.uow import UnitOfWork

from vigie_reputation.adapters.orm import CrisisRow
from vigie_reputation.app.access import BRAND, subsidiary_name
from vigie_reputation.app.crisis_views import STATUS_NAMES

CRISIS = ResourcePattern("crisis", ("tenants", "brands", "crises"))
MAX_BATCH = tenant_rows.MAX_BATCH


async def get_crisis(uow: UnitOfWork, name: str) -> CrisisRow:
    who = current_principal()
    _, brand_id, crisis_id = CRISIS.parse_in_tenant(name, who.tenant)
    row = await uow.session.get(CrisisRow, (who.tenant, crisis_id))
    if row is None or row.brand_id != brand_id:
        raise NotFound("crisis", name)
    where = subsidiary_name(who.tenant, row.subsidiary_id) if row.subsidiary_id else None
    who.require(READ_ROLES, where)
    return row


async def list_crises(
    uow: UnitOfWork, request: rpc.ListCrisesRequest, start: datetime | None, end: datetime | None
) -> tuple[list[CrisisRow], str]:
    who = current_principal()
    require_parent(request.parent, who.tenant)
    t = CrisisRow
    query = select(t).where(t.tenant == who.tenant)
    brand_ids = [BRAND.parse_in_tenant(b, who.tenant, "brands")[1] for b in request.brands]
    if brand_ids:
        query = query.where(t.brand_id.in_(brand_ids))
    if any(s not in STATUS_NAMES for s in request.statuses):
        raise InvalidArgument("statuses", "unknown crisis status")
    if request.statuses:
        query = query.where(t.status.in_([STATUS_NAMES[s] for s in request.statuses]))
    if start and end and end <= start:
        raise InvalidArgument("end_time", "must be after start_time", "EMPTY_WINDOW")
    query = query.where(t.open_time >= start) if start else query
    query = query.where(t.open_time < end) if end else query
    fingerprint = ["crises", who.tenant, brand_ids, list(request.statuses), str(start), str(end)]
    limit, after = page_size(request.page_size), decode_page_token(request.page_token, fingerprint)
    if after:
        query = query.where(t.id < str(after[0]))
    rows = (await uow.session.execute(query.order_by(t.id.desc()).limit(limit + 1))).scalars()
    visible = [r for r in rows if who.holds(READ_ROLES, _where(r))]
    more = len(visible) > limit
    return visible[:limit], encode_page_token([visible[limit - 1].id], fingerprint) if more else ""


def _where(row: CrisisRow) -> str | None:
    return subsidiary_name(row.tenant, row.subsidiary_id) if row.subsidiary_id else None


async def batch_get(uow: UnitOfWork, parent: str, names: list[str]) -> list[CrisisRow]:
    """The crises asked for, in the order asked; NOT_FOUND names the first one missing or not
    readable (another tenant's included)."""
    who = current_principal()
    require_parent(parent, who.tenant)
    if len(names) > MAX_BATCH:
        raise InvalidArgument("names", f"at most {MAX_BATCH} names", "TOO_MANY_NAMES")
    parsed = [CRISIS.parse_in_tenant(n, who.tenant, "names") for n in names]
    found = await tenant_rows.batch(uow, CrisisRow, who.tenant, [c for _, _, c in parsed])
    rows = []
    for name, (_, brand_id, crisis_id) in zip(names, parsed, strict=True):
        row = found.get(crisis_id)
        if row is None or row.brand_id != brand_id or not who.holds(READ_ROLES, _where(row)):
            raise NotFound("crisis", name)
        rows.append(row)
    return rows
