"""The group view's part from the other data regions: their minutes (for the group's measures
and index) and their crises, read from the tables the group stream fills."""

from collections import defaultdict
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from vigie.reputation.v1 import resources_pb2 as pb
from vigie_runtime.errors import NotFound
from vigie_runtime.principal import READ_ROLES, Principal, current_principal
from vigie_runtime.resource_names import ResourcePattern
from vigie_runtime.uow import UnitOfWork

from vigie_reputation.adapters.region_orm import RegionCrisisRow, RegionMeasureRow
from vigie_reputation.app import crisis_reads, crisis_views
from vigie_reputation.app.access import subsidiary_name
from vigie_reputation.app.measure_reads import Rollup, Sums
from vigie_reputation.app.views import utc
from vigie_reputation.domain.index import MinuteSums
from vigie_reputation.domain.windows import Granularity, bucket_of

CRISIS = ResourcePattern("crisis", ("tenants", "brands", "crises"))


async def _rows(
    uow: UnitOfWork, tenant: str, window: tuple[datetime, datetime]
) -> list[RegionMeasureRow]:
    t = RegionMeasureRow
    query = select(t).where(t.tenant == tenant, t.minute >= window[0], t.minute < window[1])
    return list((await uow.session.execute(query)).scalars())


async def region_minutes(
    uow: UnitOfWork, tenant: str, start: datetime, end: datetime
) -> list[MinuteSums]:
    """Every other region's whole-brand minutes of the tenant, as the index reads them."""
    return [
        MinuteSums(
            utc(r.minute), r.volume, r.positive, r.negative, r.weight, r.weighted_net,
            r.polar_weight,
        )
        for r in await _rows(uow, tenant, (start, end))
    ]  # fmt: skip


async def with_region_rollup(
    uow: UnitOfWork,
    tenant: str,
    local: Rollup,
    window: tuple[datetime, datetime],
    granularity: Granularity,
    zone: ZoneInfo,
) -> Rollup:
    """The group's whole-brand series: this region's rollup plus the other regions' minutes."""
    points: dict[datetime, Sums] = defaultdict(Sums)
    for start, sums in local.points.get("", {}).items():
        points[start].add(sums)
    volume = local.volumes.get("", 0)
    for row in await _rows(uow, tenant, window):
        points[bucket_of(utc(row.minute), granularity, zone)].add(row)
        volume += row.volume
    return Rollup({"": dict(points)} if points else {}, {"": volume} if points else {})


async def imported_crisis(uow: UnitOfWork, who: Principal, name: str) -> pb.Crisis | None:
    """Another region's crisis of the caller's tenant, if the caller may read its subsidiary."""
    _, brand_id, crisis_id = CRISIS.parse_in_tenant(name, who.tenant)
    row = await uow.session.get(RegionCrisisRow, (who.tenant, crisis_id))
    if row is None or row.brand_id != brand_id:
        return None
    if not who.holds(READ_ROLES, subsidiary_name(who.tenant, row.subsidiary_id)):
        return None
    return imported_view(row)


def imported_view(row: RegionCrisisRow) -> pb.Crisis:
    """The copy as its region let it out, marked with that region (read-only here)."""
    crisis = pb.Crisis.FromString(row.crisis)
    crisis.region = row.region
    return crisis


async def crisis_anywhere(uow: UnitOfWork, name: str) -> pb.Crisis:
    """A crisis of this region, else one another region of the group let out (the group view
    reads both); NOT_FOUND when neither has it or the caller may not read it."""
    try:
        return crisis_views.crisis(await crisis_reads.get_crisis(uow, name))
    except NotFound:
        imported = await imported_crisis(uow, current_principal(), name)
        if imported is None:
            raise
        return imported
