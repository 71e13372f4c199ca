"""Gathers a report's figures from this service's own tables: the measures, the index, crises,
the presence store and the replica of campaign results (never another service's database)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import or_, select
from vigie_runtime.uow import UnitOfWork

from vigie_reputation.adapters.orm import CampaignResultRow, CrisisRow, KnownBrandRow
from vigie_reputation.app.index import index_of
from vigie_reputation.app.measure_reads import Sums, brand_totals, rollup
from vigie_reputation.app.report_presence import presence_section
from vigie_reputation.app.report_subjects import Subject, own_brands
from vigie_reputation.app.views import utc
from vigie_reputation.domain.reports import model
from vigie_reputation.domain.reports.texts import language_of
from vigie_reputation.domain.windows import Granularity, buckets

Period = tuple[datetime, datetime]


async def gather(uow: UnitOfWork, subject: Subject, period: Period) -> model.Report:
    brands = await own_brands(uow, subject)
    brand_ids = [b.id for b in brands]
    return model.Report(
        subject=subject.display_name,
        subject_name=subject.name,
        start=period[0],
        end=period[1],
        language=language_of(subject.locale),
        locale=subject.locale,
        time_zone=subject.time_zone,
        generated_for=period[1],
        reputation=await _reputation(uow, subject, brands, period),
        crises=await _crises(uow, subject.tenant, brand_ids, period),
        campaigns=await _campaigns(uow, subject.tenant, brand_ids),
        presence=await presence_section(uow, subject.tenant, brand_ids, period, subject.time_zone),
    )


async def _reputation(
    uow: UnitOfWork, subject: Subject, brands: list[KnownBrandRow], period: Period
) -> model.Reputation:
    tenant, brand_ids = subject.tenant, [b.id for b in brands]
    zone = ZoneInfo(subject.time_zone)
    rolled = await rollup(uow, tenant, brand_ids, "none", period, Granularity.DAY, zone)
    per_day: dict[datetime, Sums] = {}
    for points in rolled.points.values():
        for start, sums in points.items():
            per_day.setdefault(start, Sums()).add(sums)
    days = [
        _day(start.astimezone(zone).date(), per_day.get(start, Sums()))
        for start in buckets(period[0], period[1], Granularity.DAY, zone)
    ]
    index = await index_of(uow, tenant, brand_ids, subject.name, period[1])
    return model.Reputation(
        index_value=index.value,
        previous_index_value=index.previous_value,
        days=days,
        shares=await _shares(uow, tenant, brands, period),
    )


def _day(day: date, sums: Sums) -> model.DayPoint:
    return model.DayPoint(day, sums.volume, sums.positive, sums.neutral, sums.negative)


async def _shares(
    uow: UnitOfWork, tenant: str, brands: list[KnownBrandRow], period: Period
) -> list[model.Share]:
    """The subject's brands beside their competitors, by volume over the period."""
    ids = [b.id for b in brands]
    ids += sorted({c for b in brands for c in b.competitors} - set(ids))
    totals = await brand_totals(uow, tenant, ids, period)
    names = {
        row.id: row.display_name
        for row in (
            await uow.session.execute(
                select(KnownBrandRow).where(
                    KnownBrandRow.tenant == tenant, KnownBrandRow.id.in_(ids)
                )
            )
        ).scalars()
    }
    volume = sum(t.volume for t in totals.values())
    shares = [
        model.Share(names.get(b, b), totals[b].volume, totals[b].volume / volume if volume else 0.0)
        for b in ids
    ]
    return sorted(shares, key=lambda s: (-s.volume, s.brand))


async def _crises(
    uow: UnitOfWork, tenant: str, brand_ids: list[str], period: Period
) -> list[model.CrisisLine]:
    """Crises open at any moment of the period, oldest first."""
    t = CrisisRow
    query = (
        select(t, KnownBrandRow.display_name)
        .outerjoin(
            KnownBrandRow, (KnownBrandRow.tenant == t.tenant) & (KnownBrandRow.id == t.brand_id)
        )
        .where(
            t.tenant == tenant,
            t.brand_id.in_(brand_ids),
            t.open_time < period[1],
            or_(t.resolve_time.is_(None), t.resolve_time >= period[0]),
        )
        .order_by(t.open_time, t.id)
    )
    return [
        model.CrisisLine(
            name or row.brand_id,
            row.severity,
            row.status,
            utc(row.open_time),
            utc(row.resolve_time) if row.resolve_time else None,
        )
        for row, name in (await uow.session.execute(query)).all()
    ]


async def _campaigns(
    uow: UnitOfWork, tenant: str, brand_ids: list[str]
) -> list[model.CampaignLine]:
    """The replicated results of every campaign for one of the brands, as last announced."""
    query = select(CampaignResultRow).where(CampaignResultRow.tenant == tenant)
    wanted = set(brand_ids)
    lines = []
    for row in (await uow.session.execute(query)).scalars():
        if not wanted.intersection(row.brand_ids):
            continue
        r = row.results
        spend, revenue = r.get("spend", {}), r.get("revenue", {})
        lines.append(
            model.CampaignLine(
                display_name=row.display_name,
                mentions=int(r.get("mentions", 0)),
                reach=int(r.get("reach", 0)),
                engagements=int(r.get("engagements", 0)),
                spend=spend.get("amount", ""),
                revenue=revenue.get("amount", ""),
                currency=spend.get("currencyCode", "") or revenue.get("currencyCode", ""),
                roi=r.get("roi", ""),
                compute_time=utc(row.compute_time),
            )
        )
    return sorted(lines, key=lambda c: (c.display_name, c.compute_time))
