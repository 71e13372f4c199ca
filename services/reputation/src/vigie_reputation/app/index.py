"""Reading a brand's Reputation Index (formula and explanation: domain/index.py)."""

from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import func, select
from vigie.reputation.v1 import resources_pb2 as pb
from vigie_runtime.errors import InvalidArgument
from vigie_runtime.principal import current_principal
from vigie_runtime.uow import UnitOfWork

from vigie_reputation.adapters.orm import MeasureBucketRow, MentionSentimentRow
from vigie_reputation.app import access, region_reads
from vigie_reputation.app.measure_reads import in_dimension
from vigie_reputation.app.views import LABELS, brand_name, stamp, utc
from vigie_reputation.domain.index import WINDOW, Candidate, IndexValue, MinuteSums, index_at
from vigie_reputation.domain.measures import LABEL_SIGN

SUFFIX = "/reputationIndex"
# The most-followed polar mentions are the candidates for "moved it most".
CANDIDATES = 200


async def get_reputation_index(uow: UnitOfWork, name: str) -> pb.ReputationIndex:
    who = current_principal()
    if not name.endswith(SUFFIX):
        raise InvalidArgument("name", "expected tenants/{tenant}/brands/{brand}/reputationIndex")
    brand = name.removesuffix(SUFFIX)
    scope = await access.readable_brands(uow, who, brand, "name")
    now = datetime.now(UTC)
    return await index_of(uow, who.tenant, scope.brand_ids, brand, now, scope.is_group)


async def index_of(
    uow: UnitOfWork,
    tenant: str,
    brand_ids: Sequence[str],
    brand: str,
    now: datetime,
    with_other_regions: bool = False,
) -> pb.ReputationIndex:
    """The index of `brand` (its `brand_ids`) at `now`, with its explanation; no access check.
    The group's index (`with_other_regions`) also counts the group's other data regions."""
    minutes = await _minutes(uow, tenant, brand_ids, now - 2 * WINDOW, now)
    if with_other_regions:
        minutes += await region_reads.region_minutes(uow, tenant, now - 2 * WINDOW, now)
    current = index_at(
        now,
        [m for m in minutes if m.minute >= now - WINDOW],
        await _candidates(uow, tenant, brand_ids, now - WINDOW, now),
    )
    previous = index_at(now - WINDOW, [m for m in minutes if m.minute < now - WINDOW], [])
    return pb.ReputationIndex(
        name=brand + SUFFIX,
        brand=brand,
        value=current.value,
        previous_value=previous.value,
        window_start_time=stamp(now - WINDOW),
        window_end_time=stamp(now),
        explanation=_explanation(current, previous),
        compute_time=stamp(now),
    )


def _explanation(current: IndexValue, previous: IndexValue) -> pb.ReputationIndexExplanation:
    change = current.value - previous.value
    summary = f"{current.value:.1f}/100 ({change:+.1f} on the previous 7 days)"
    return pb.ReputationIndexExplanation(
        summary=summary,
        top_mentions=[
            pb.ContributingMention(
                mention=m.mention, label=LABELS[m.label], contribution=m.contribution
            )
            for m in current.movers
        ],
    )


async def _minutes(
    uow: UnitOfWork, tenant: str, brand_ids: Sequence[str], start: datetime, end: datetime
) -> list[MinuteSums]:
    t = MeasureBucketRow
    columns = (t.volume, t.positive, t.negative, t.weight, t.weighted_net, t.polar_weight)
    query = (
        select(t.minute, *(func.sum(c) for c in columns))
        .where(
            t.tenant == tenant,
            t.brand_id.in_(list(brand_ids)),
            in_dimension("none"),
            t.minute >= start,
            t.minute < end,
        )
        .group_by(t.minute)
    )
    rows = await uow.session.execute(query)
    return [
        MinuteSums(utc(r[0]), int(r[1]), int(r[2]), int(r[3]), *(float(v) for v in r[4:]))
        for r in rows
    ]


async def _candidates(
    uow: UnitOfWork, tenant: str, brand_ids: Sequence[str], start: datetime, end: datetime
) -> list[Candidate]:
    t = MentionSentimentRow
    label = func.coalesce(t.corrected_label, t.label)
    query = (
        select(t.brand_id, t.mention_id, label, t.followers, t.publish_time)
        .where(
            t.tenant == tenant,
            t.brand_id.in_(list(brand_ids)),
            t.publish_time >= start,
            t.publish_time < end,
            label != "neutral",
        )
        .order_by(t.followers.desc())
        .limit(CANDIDATES)
    )
    return [
        Candidate(f"{brand_name(tenant, b)}/mentions/{m}", lab, LABEL_SIGN[lab], followers, utc(at))
        for b, m, lab, followers, at in await uow.session.execute(query)
    ]
