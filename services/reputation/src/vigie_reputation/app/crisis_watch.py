"""Feeding each brand's crisis detector with 5-minute buckets, from the scoring transaction.

A brand's current bucket is counted in its watch row as mentions are scored. When a mention of
a later bucket arrives (or the clock loop finds the bucket over), the bucket is closed: fed to
the detector, whose memory is saved with the counts in the same transaction, so a redelivered
mention (skipped by the inbox) never counts twice there either.

Waiting for a bucket to close would delay an alarm by up to 5 minutes, so while a bucket fills
the detector is also asked, on a copy of its memory, whether the bucket *so far* opens a crisis
(at geometric steps of the count, so this costs a few checks per bucket). Counts only grow, so
the real detector then opens the same crisis when the bucket closes; if it does not, the early
crisis is resolved.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import inspect, select, tuple_
from vigie_runtime.uow import UnitOfWork

from vigie_reputation.adapters.orm import CrisisWatchRow
from vigie_reputation.app import bucket_closed, crises, metrics
from vigie_reputation.domain.crisis import (
    CrisisDetector,
    CrisisParams,
    CrisisState,
    TransitionKind,
)
from vigie_reputation.domain.measures import MentionFacts

BUCKET = timedelta(minutes=5)
_NOTED = "watch_counts_at_batch_end"
CHECK_STEP = 1.25  # an early check each time the bucket's count grew by 25%
# A bucket is closed by the clock this long after its end (late mentions still count).
CLOSE_GRACE = timedelta(seconds=30)


def bucket_of(moment: datetime) -> datetime:
    moment = moment.astimezone(UTC)
    return moment.replace(minute=moment.minute - moment.minute % 5, second=0, microsecond=0)


async def load_watches(uow: UnitOfWork, brands: Sequence[tuple[str, str]]) -> None:
    """Reads a batch's watches in one query (not one per brand as its mentions come), locked
    until the batch commits: replicas of the worker count the same brand's mentions at once on
    PostgreSQL, and a count read by both would lose one's increments (SQLite's write lock
    already orders them). Locked in key order, so two batches may wait but never deadlock."""
    added: dict[tuple[str, str], CrisisWatchRow] = uow.session.info.setdefault("watches", {})
    unique = sorted(b for b in dict.fromkeys(brands) if b not in added)
    t = CrisisWatchRow
    for start in range(0, len(unique), 500):  # bounded statements on any database
        chunk = unique[start : start + 500]
        query = (
            select(t)
            .where(tuple_(t.tenant, t.brand_id).in_(chunk))
            .order_by(t.tenant, t.brand_id)
            .with_for_update()
        )
        for watch in (await uow.session.execute(query)).scalars():
            added[(watch.tenant, watch.brand_id)] = watch


def count_at_batch_end(uow: UnitOfWork) -> None:
    """From now on in this transaction, `count_mention` only notes the mention, and
    `count_noted` counts what was noted, in the same order, at the end of the batch: the
    watches are then locked for the end of the transaction only, not while the batch's
    mentions are handled, so replicas of the worker handle their batches at once (on
    PostgreSQL, a watch locked from the batch's start made them take turns)."""
    uow.session.info.setdefault(_NOTED, [])


def counting_at_batch_end(uow: UnitOfWork) -> bool:
    return _NOTED in uow.session.info


async def count_noted(uow: UnitOfWork, params: CrisisParams) -> list[int]:
    """Counts the noted mentions in their watches (locked in key order); which of them (their
    places in the order noted) opened a crisis."""
    noted: list[_Noted] = uow.session.info.get(_NOTED, [])
    uow.session.info[_NOTED] = []
    await load_watches(uow, [(n.tenant, n.brand_id) for n in noted])
    opening = []
    for place, n in enumerate(noted):
        before = metrics.crises_opened(uow)
        await _count(uow, params, n)
        if metrics.crises_opened(uow) > before:
            opening.append(place)
    return opening


async def count_mention(
    uow: UnitOfWork, params: CrisisParams, facts: MentionFacts, label: str
) -> None:
    n = _Noted(
        facts.tenant, facts.brand_id, facts.subsidiary_id, bucket_of(facts.publish_time), label
    )
    noted: list[_Noted] | None = uow.session.info.get(_NOTED)
    if noted is not None:
        noted.append(n)
    else:
        await _count(uow, params, n)


@dataclass(frozen=True)
class _Noted:
    """A scored mention, as its brand's watch counts it."""

    tenant: str
    brand_id: str
    subsidiary_id: str
    bucket: datetime
    label: str


async def _count(uow: UnitOfWork, params: CrisisParams, n: _Noted) -> None:
    key, bucket, label = (n.tenant, n.brand_id), n.bucket, n.label
    # Watches added in this batch are not flushed yet (no autoflush): they are remembered here,
    # with those `load_watches` read for the batch.
    added: dict[tuple[str, str], CrisisWatchRow] = uow.session.info.setdefault("watches", {})
    watch = added.get(key) or await uow.session.get(CrisisWatchRow, key, with_for_update=True)
    if watch is None:
        watch = CrisisWatchRow(
            tenant=n.tenant,
            brand_id=n.brand_id,
            subsidiary_id=n.subsidiary_id,
            bucket_start=bucket,
            bucket_total=0,
            bucket_negative=0,
            checked_total=0,
            state=None,
        )
        uow.session.add(watch)
        added[key] = watch
    start = crises.utc(watch.bucket_start)
    if bucket < start:
        return  # late: its bucket was already judged (the measures still count it)
    if bucket > start:
        await close_bucket(uow, params, watch, next_bucket=bucket)
    watch.bucket_total += 1
    watch.bucket_negative += int(label == "negative")
    if watch.crisis_id is None and watch.bucket_total >= math.ceil(
        max(watch.checked_total * CHECK_STEP, 2)
    ):
        watch.checked_total = watch.bucket_total
        await _check_early(uow, params, watch)


async def close_bucket(
    uow: UnitOfWork, params: CrisisParams, watch: CrisisWatchRow, next_bucket: datetime
) -> None:
    state = await _state(uow, watch)
    detector = CrisisDetector(params, state)
    start = crises.utc(watch.bucket_start)
    transitions = detector.observe(start, watch.bucket_total, watch.bucket_negative)
    watch.state = detector.state.to_dict()
    for transition in transitions:
        await crises.apply(uow, watch, transition)
    if watch.crisis_id is not None and detector.state.lifecycle.incident is None:
        await crises.withdraw(uow, watch)  # opened early, not confirmed by the full bucket
    await bucket_closed.after_bucket(uow, watch, start + BUCKET)
    watch.bucket_start = next_bucket
    watch.bucket_total = watch.bucket_negative = watch.checked_total = 0


async def close_due_buckets(uow: UnitOfWork, params: CrisisParams, now: datetime) -> int:
    """Closes the buckets that ended (plus a grace) with no later mention to close them.
    Every replica's clock runs: a watch another transaction holds is skipped (its batch or
    clock closes it), never closed twice."""
    due = now - BUCKET - CLOSE_GRACE
    t = CrisisWatchRow
    query = (
        select(t)
        .where(t.bucket_start <= due)
        .order_by(t.tenant, t.brand_id)
        .limit(500)
        .with_for_update(skip_locked=True)
    )
    watches = list((await uow.session.execute(query)).scalars())
    for watch in watches:
        await close_bucket(uow, params, watch, next_bucket=bucket_of(now))
    return len(watches)


async def _check_early(uow: UnitOfWork, params: CrisisParams, watch: CrisisWatchRow) -> None:
    state = await _state(uow, watch)
    if state is None:
        return  # a brand's first bucket: the detector is warming up anyway
    copy = CrisisDetector(params, state)
    start = crises.utc(watch.bucket_start)
    for transition in copy.observe(start, watch.bucket_total, watch.bucket_negative):
        if transition.kind is TransitionKind.OPENED and transition.at == start:
            await crises.apply(uow, watch, transition)


async def _state(uow: UnitOfWork, watch: CrisisWatchRow) -> CrisisState | None:
    if "state" in inspect(watch).unloaded:
        await uow.session.refresh(watch, ["state"])
    return None if watch.state is None else CrisisState.from_dict(watch.state)
