"""Why a crisis: what rose, since when, and the mentions, authors, languages and sources that
drove it (read from the brand's scored mentions since the rise began)."""

from datetime import timedelta
from typing import Any

from google.protobuf import json_format
from sqlalchemy import case, func, select
from vigie.reputation.v1 import resources_pb2 as pb
from vigie_runtime.uow import UnitOfWork

from vigie_reputation.adapters.orm import CrisisRow, MentionSentimentRow
from vigie_reputation.app.views import LABELS, brand_name, stamp
from vigie_reputation.domain.crisis import Transition
from vigie_reputation.domain.index import reach

TOP = 5
# The detector compares 15-minute sums: the rise may have begun that long before its bucket.
LOOKBACK = timedelta(minutes=15)
SIGNALS = {"total": "volume", "negative": "negative_volume"}


async def explain(uow: UnitOfWork, crisis: CrisisRow, transition: Transition) -> dict[str, Any]:
    await uow.session.flush()  # the batch's mentions so far are part of the explanation
    since = transition.since - LOOKBACK
    t = MentionSentimentRow
    scope = (t.tenant == crisis.tenant, t.brand_id == crisis.brand_id, t.publish_time >= since)
    signal = SIGNALS.get(transition.signal.value, transition.signal.value)
    explanation = pb.CrisisExplanation(
        signal=signal,
        baseline=transition.expected,
        observed=transition.observed,
        since_time=stamp(transition.since),
        top_mentions=await _top_mentions(uow, crisis, scope),
        top_authors=await _contributors(uow, t.author_handle, scope),
        top_languages=await _contributors(uow, t.language, scope),
        top_sources=await _contributors(uow, t.source, scope),
        summary=(
            f"{signal.replace('_', ' ')} rose to {transition.observed} per 5 minutes "
            f"({transition.ratio:.1f}x the usual {transition.expected:.1f}) "
            f"since {transition.since:%Y-%m-%d %H:%M} UTC"
        ),
    )
    return json_format.MessageToDict(explanation)


async def _top_mentions(
    uow: UnitOfWork, crisis: CrisisRow, scope: tuple[Any, ...]
) -> list[pb.ContributingMention]:
    t = MentionSentimentRow
    label = func.coalesce(t.corrected_label, t.label)
    query = (
        select(t.mention_id, label, t.followers)
        .where(*scope)
        .order_by((label == "negative").desc(), t.followers.desc())
        .limit(TOP)
    )
    rows = list(await uow.session.execute(query))
    total = sum(reach(followers) for _, _, followers in rows) or 1.0
    brand = brand_name(crisis.tenant, crisis.brand_id)
    return [
        pb.ContributingMention(
            mention=f"{brand}/mentions/{mention_id}",
            label=LABELS[lab],
            contribution=reach(followers) / total,
        )
        for mention_id, lab, followers in rows
    ]


async def _contributors(
    uow: UnitOfWork, column: Any, scope: tuple[Any, ...]
) -> list[pb.CrisisContributor]:
    t = MentionSentimentRow
    negative = func.sum(case((func.coalesce(t.corrected_label, t.label) == "negative", 1), else_=0))
    count = func.count()
    query = (
        select(column, count, negative)
        .where(*scope)
        .group_by(column)
        .order_by(count.desc())
        .limit(TOP)
    )
    return [
        pb.CrisisContributor(
            value=value or "unknown", mention_count=n, negative_count=int(neg or 0)
        )
        for value, n, neg in await uow.session.execute(query)
    ]
