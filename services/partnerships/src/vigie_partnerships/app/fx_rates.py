"""FX rates stored per tenant and day, set by its managers; results convert with the latest
rate on or before the day they are computed for (a pair's inverse serves when only it is held)."""

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from vigie.partnerships.v1 import resources_pb2 as pb
from vigie_runtime.clock import now
from vigie_runtime.errors import InvalidArgument
from vigie_runtime.principal import Principal
from vigie_runtime.resource_names import require_parent
from vigie_runtime.tenant_rows import Listed, ListRequest, list_page
from vigie_runtime.uow import UnitOfWork

from vigie_partnerships.adapters.orm import FxRateRow
from vigie_partnerships.app.common import MANAGERS, require_anywhere, require_reader
from vigie_partnerships.domain.fx import checked_quote
from vigie_partnerships.domain.money import InvalidMoney
from vigie_partnerships.domain.results import FxRates

READ_SCOPE = "campaigns.read"


async def set_rate(uow: UnitOfWork, who: Principal, parent: str, source: pb.FxRate) -> FxRateRow:
    """Stores the rate; the same pair and day again replaces it (a correction)."""
    require_parent(parent, who.tenant)
    require_anywhere(who, MANAGERS)
    try:
        quote = checked_quote(
            source.base_currency, source.quote_currency, source.rate, source.effective_date
        )
    except InvalidMoney as refused:
        raise InvalidArgument("fx_rate", refused.message, refused.reason) from None
    row = await uow.session.get(FxRateRow, (who.tenant, quote.key))
    if row is None:
        row = FxRateRow(tenant=who.tenant, id=quote.key, base=quote.base, quote=quote.quote)
        row.effective_date = quote.effective_date
        uow.session.add(row)
    row.rate, row.updated_at = f"{quote.rate:f}", now()
    await uow.session.flush()
    return row


# A tenant keeps few rates: no index beyond the tenant's.
FX_ORDERS = {"effective_date": FxRateRow.effective_date, "update_time": FxRateRow.updated_at}


async def list_(
    uow: UnitOfWork, who: Principal, parent: str, base: str, quote: str, request: ListRequest
) -> Listed[FxRateRow]:
    require_parent(parent, who.tenant)
    require_reader(who, READ_SCOPE)
    query = select(FxRateRow).where(FxRateRow.tenant == who.tenant)
    if base and quote:
        query = query.where(FxRateRow.base == base.upper(), FxRateRow.quote == quote.upper())
    fingerprint = ["fx", base.upper(), quote.upper()]
    return await list_page(uow, query, FxRateRow, request, fingerprint, FX_ORDERS)


async def rates_on(
    uow: UnitOfWork, tenant: str, sources: Iterable[str], target: str, day: date
) -> FxRates:
    """(source, target) -> rate for each source currency with a rate on or before `day`;
    sources without one are left out, for the caller to report."""
    found: dict[tuple[str, str], Decimal] = {}
    for source in sorted(set(sources) - {target}):
        direct = await _latest(uow, tenant, source, target, day)
        inverse = None if direct else await _latest(uow, tenant, target, source, day)
        if direct:
            found[(source, target)] = Decimal(direct.rate)
        elif inverse:
            found[(source, target)] = 1 / Decimal(inverse.rate)
    return found


async def _latest(
    uow: UnitOfWork, tenant: str, base: str, quote: str, day: date
) -> FxRateRow | None:
    query = (
        select(FxRateRow)
        .where(
            FxRateRow.tenant == tenant,
            FxRateRow.base == base,
            FxRateRow.quote == quote,
            FxRateRow.effective_date <= day,
        )
        .order_by(FxRateRow.effective_date.desc())
        .limit(1)
    )
    return (await uow.session.execute(query)).scalars().first()
