"""Mention volume per brand and interval, with empty intervals present (count 0)."""

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from vigie_runtime.errors import InvalidArgument
from vigie_runtime.principal import Principal
from vigie_runtime.uow import UnitOfWork

from vigie_listener.adapters.orm import MentionRow
from vigie_listener.app.common import utc
from vigie_listener.app.mentions import MentionFilter, filtered, require_tenant

MAX_BUCKETS = 10_000
STEPS = {1: timedelta(minutes=1), 2: timedelta(hours=1), 3: timedelta(days=1)}


@dataclass(frozen=True)
class Count:
    brand_id: str
    start: datetime
    count: int


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidArgument("time_zone", f"{name!r} is not an IANA time zone") from None


def _floor(moment: datetime, step: timedelta, zone: ZoneInfo) -> datetime:
    local = utc(moment).astimezone(zone)
    if step == STEPS[3]:
        local = local.replace(hour=0, minute=0, second=0, microsecond=0)
    elif step == STEPS[2]:
        local = local.replace(minute=0, second=0, microsecond=0)
    else:
        local = local.replace(second=0, microsecond=0)
    return local


async def count(
    uow: UnitOfWork,
    who: Principal,
    parent: str,
    wanted: MentionFilter,
    interval: int,
    zone_name: str,
) -> list[Count]:
    require_tenant(who, parent)
    if wanted.start is None or wanted.end is None or wanted.start >= wanted.end:
        raise InvalidArgument("start_time", "start_time and end_time are needed, start first")
    step = STEPS.get(interval)
    if step is None:
        raise InvalidArgument("interval", "must be COUNT_INTERVAL_MINUTE, _HOUR or _DAY")
    zone = _zone(zone_name)
    starts = []
    cursor = _floor(wanted.start, step, zone)
    while cursor < wanted.end:
        starts.append(cursor)
        if len(starts) > MAX_BUCKETS:
            raise InvalidArgument("interval", f"at most {MAX_BUCKETS} intervals per call")
        cursor = _floor(cursor + step + timedelta(hours=2 if step == STEPS[3] else 0), step, zone)
    query = (await filtered(uow, who, wanted)).with_only_columns(
        MentionRow.brand_id, MentionRow.publish_time
    )
    tally: Counter[tuple[str, datetime]] = Counter()
    for brand_id, moment in await uow.session.execute(query):
        tally[(brand_id, _floor(moment, step, zone))] += 1
    brand_ids = sorted(
        {brand for brand, _ in tally} | {name.rsplit("/", 1)[1] for name in wanted.brands}
    )
    return [Count(b, s, tally[(b, s)]) for b in brand_ids for s in starts]
