"""The other regions' aggregates, from the hub's group stream into read-only tables.

Each copy is a snapshot (a minute's counts, a crisis's state): the newest wins whatever the
order, so a redelivered or late copy changes nothing. Rows are scoped by the event's tenant, and
an event naming another tenant's brand or crisis is dropped.
"""

import logging
from datetime import UTC

from vigie_runtime.errors import InvalidArgument, NotFound
from vigie_runtime.events import IncomingEvent
from vigie_runtime.resource_names import ResourcePattern
from vigie_runtime.uow import UnitOfWork

from vigie_reputation.adapters.region_orm import RegionCrisisRow, RegionMeasureRow
from vigie_reputation.app import campaign_results
from vigie_reputation.app.access import BRAND
from vigie_reputation.app.aggregate_events import (
    AGGREGATE_CAMPAIGN_RESULTS,
    AGGREGATE_CRISIS_CHANGED,
    AGGREGATE_MEASURE_UPDATED,
)
from vigie_reputation.app.crisis_views import SEVERITY_NAMES, STATUS_NAMES
from vigie_reputation.app.views import utc

log = logging.getLogger(__name__)

CRISIS = ResourcePattern("crisis", ("tenants", "brands", "crises"))
SUBSIDIARY = ResourcePattern("subsidiary", ("tenants", "subsidiaries"))


def _own(pattern: ResourcePattern, name: str, tenant: str) -> tuple[str, ...] | None:
    try:
        ids = pattern.parse(name, pattern.resource)
    except InvalidArgument:
        return None
    return ids if ids[0] == tenant else None


async def import_aggregate(uow: UnitOfWork, event: IncomingEvent, home: str) -> None:
    if event.type == AGGREGATE_MEASURE_UPDATED.ce_type:
        await _measure(uow, event, home)
    elif event.type == AGGREGATE_CRISIS_CHANGED.ce_type:
        await _crisis(uow, event, home)
    elif event.type == AGGREGATE_CAMPAIGN_RESULTS.ce_type:
        await _campaign(uow, event, home)
    else:
        log.info("ignoring %s: not an aggregate this version knows", event.type)


async def _measure(uow: UnitOfWork, event: IncomingEvent, home: str) -> None:
    counted = AGGREGATE_MEASURE_UPDATED.parse(event)
    brand = _own(BRAND, counted.brand, event.tenant)
    subsidiary = _own(SUBSIDIARY, counted.subsidiary, event.tenant)
    if brand is None or subsidiary is None or counted.region in ("", home):
        return
    key = (event.tenant, counted.region, brand[1], counted.minute.ToDatetime(tzinfo=UTC))
    as_of = counted.as_of_time.ToDatetime(tzinfo=UTC)
    row = await uow.session.get(RegionMeasureRow, key)
    if row is not None and utc(row.as_of) >= as_of:
        return
    if row is None:
        row = RegionMeasureRow(tenant=key[0], region=key[1], brand_id=key[2], minute=key[3])
        uow.session.add(row)
    row.subsidiary_id = subsidiary[1]
    row.as_of = as_of
    for field in ("volume", "positive", "neutral", "negative", "reach"):
        setattr(row, field, getattr(counted, field))
    for field in ("weight", "weighted_net", "polar_weight"):
        setattr(row, field, getattr(counted, field))


async def _crisis(uow: UnitOfWork, event: IncomingEvent, home: str) -> None:
    changed = AGGREGATE_CRISIS_CHANGED.parse(event)
    crisis = changed.crisis
    ids = _own(CRISIS, crisis.name, event.tenant)
    subsidiary = _own(SUBSIDIARY, changed.subsidiary, event.tenant)
    if ids is None or subsidiary is None or changed.region in ("", home):
        return
    updated = crisis.update_time.ToDatetime(tzinfo=UTC)
    row = await uow.session.get(RegionCrisisRow, (event.tenant, ids[2]))
    if row is not None and utc(row.update_time) >= updated:
        return
    if row is None:
        row = RegionCrisisRow(tenant=event.tenant, id=ids[2])
        uow.session.add(row)
    row.region, row.brand_id, row.subsidiary_id = changed.region, ids[1], subsidiary[1]
    row.status = STATUS_NAMES.get(crisis.status, "opened")
    row.severity = SEVERITY_NAMES.get(crisis.severity, "watch")
    row.open_time = crisis.open_time.ToDatetime(tzinfo=UTC)
    row.update_time = updated
    row.crisis = crisis.SerializeToString()


async def _campaign(uow: UnitOfWork, event: IncomingEvent, home: str) -> None:
    """Into the reports' replica of campaign results, beside this region's own campaigns."""
    if event.subject.startswith(f"vigie.group.{home}."):
        return
    try:
        await campaign_results.apply_results(
            uow, event.tenant, AGGREGATE_CAMPAIGN_RESULTS.parse(event)
        )
    except (NotFound, InvalidArgument):
        log.info("dropping %s: it names another tenant's resources", event.id)
