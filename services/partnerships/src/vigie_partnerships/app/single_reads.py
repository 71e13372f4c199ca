"""One deliverable, conversion or FX rate read back by its resource name, so every object the
API returns can also be fetched on its own (GraphQL's `node(id)` relies on it). Each read goes
through the same campaign access check as the lists it is also found in."""

from vigie_runtime.errors import InvalidArgument, NotFound
from vigie_runtime.principal import Principal
from vigie_runtime.tenant_rows import load
from vigie_runtime.uow import UnitOfWork

from vigie_partnerships.adapters.orm import ConversionRow, DeliverableRow, FxRateRow
from vigie_partnerships.app import campaigns, fx_rates
from vigie_partnerships.app.common import require_reader
from vigie_partnerships.app.names import CAMPAIGN, CONVERSION, DELIVERABLE


async def get_deliverable(uow: UnitOfWork, who: Principal, name: str) -> DeliverableRow:
    _, campaign_id, contract_id, deliverable_id = DELIVERABLE.parse_in_tenant(name, who.tenant)
    await campaigns.get(uow, who, CAMPAIGN.format(who.tenant, campaign_id))
    row = await load(uow, DeliverableRow, "deliverable", who.tenant, deliverable_id, name)
    if row.campaign_id != campaign_id or row.contract_id != contract_id:
        raise InvalidArgument("name", f"{name} is not a deliverable of that contract")
    return row


async def get_conversion(uow: UnitOfWork, who: Principal, name: str) -> ConversionRow:
    _, campaign_id, conversion_id = CONVERSION.parse_in_tenant(name, who.tenant)
    await campaigns.get(uow, who, CAMPAIGN.format(who.tenant, campaign_id))
    row = await load(uow, ConversionRow, "conversion", who.tenant, conversion_id, name)
    if row.campaign_id != campaign_id:
        raise InvalidArgument("name", f"{name} is not a conversion of that campaign")
    return row


async def get_fx_rate(uow: UnitOfWork, who: Principal, name: str) -> FxRateRow:
    # A rate's id is `{BASE}-{QUOTE}-{yyyy-mm-dd}` in capitals, outside the lower-case id alphabet
    # ResourcePattern parses: the name is checked here against its own shape.
    parts = name.split("/")
    if len(parts) != 4 or parts[0] != "tenants" or parts[2] != "fxRates" or not parts[3]:
        raise InvalidArgument(
            "name", "expected an FX rate name like tenants/{t}/fxRates/EUR-USD-2026-12-01"
        )
    if parts[1] != who.tenant:
        raise NotFound("fx_rate", name)
    require_reader(who, fx_rates.READ_SCOPE)
    rate_id = parts[3]
    # The rates' key is (tenant, id): the tenant is part of the lookup, never another's row.
    return await load(uow, FxRateRow, "fx_rate", who.tenant, (who.tenant, rate_id), name)  # type: ignore[arg-type]
