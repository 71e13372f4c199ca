"""Reading crises of this region by name, within the caller's tenant (the list: crisis_list.py)."""

from vigie_runtime import tenant_rows
from vigie_runtime.errors import InvalidArgument, NotFound
from vigie_runtime.principal import READ_ROLES, current_principal
from vigie_runtime.resource_names import ResourcePattern, require_parent
from vigie_runtime.uow import UnitOfWork

from vigie_reputation.adapters.orm import CrisisRow
from vigie_reputation.app.access import subsidiary_name

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
