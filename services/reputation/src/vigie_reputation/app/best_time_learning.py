"""Recomputing an account's best times when its history changed (at most once per debounce
period), storing them and announcing them with `best_times.updated` through the outbox."""

from collections import defaultdict
from datetime import datetime

from sqlalchemy import ColumnElement, and_, or_, select, update
from vigie.publisher.v1 import resources_pb2 as publisher
from vigie.reputation.v1 import events_pb2
from vigie_runtime.uow import UnitOfWork

from vigie_reputation.adapters.orm import BestTimeAccountRow, BestTimePostRow, BestTimesRow
from vigie_reputation.app import best_time_views
from vigie_reputation.app.access import subsidiary_name
from vigie_reputation.app.best_time_history import AccountKey
from vigie_reputation.app.events import BEST_TIMES_UPDATED
from vigie_reputation.app.views import utc
from vigie_reputation.domain.best_times import (
    BestTimeParams,
    Context,
    LearnedBestTimes,
    PostRecord,
    best_slots,
    explain,
    learn,
    zone_or_utc,
)

NETWORK_LABELS: dict[int, str] = {
    publisher.NETWORK_BLUESKY: "Bluesky",
    publisher.NETWORK_MASTODON: "Mastodon",
    publisher.NETWORK_X: "X",
    publisher.NETWORK_LINKEDIN: "LinkedIn",
    publisher.NETWORK_INSTAGRAM: "Instagram",
    publisher.NETWORK_THREADS: "Threads",
    publisher.NETWORK_FACEBOOK: "Facebook",
}


async def due_accounts(
    uow: UnitOfWork, now: datetime, params: BestTimeParams, limit: int
) -> list[AccountKey]:
    """Accounts whose history changed and whose best times are older than the debounce."""
    row = BestTimeAccountRow
    query = (
        select(row.tenant, row.brand_id, row.account_id)
        .where(_due(now, params))
        .order_by(row.snapshot_time)
        .limit(limit)
    )
    return [AccountKey(*found) for found in (await uow.session.execute(query)).all()]


async def recompute_if_due(
    uow: UnitOfWork, key: AccountKey, now: datetime, params: BestTimeParams
) -> bool:
    """Claims the account (a conditional update: of two workers, one wins), learns, stores and
    emits in the caller's transaction. False when it was not due."""
    row = BestTimeAccountRow
    claim = (
        update(row)
        .where(row.tenant == key.tenant, row.brand_id == key.brand_id)
        .where(row.account_id == key.account_id, _due(now, params))
        .values(stale=False, compute_time=now)
        .execution_options(synchronize_session=False)
    )
    if (await uow.session.execute(claim)).rowcount != 1:  # type: ignore[attr-defined]
        return False
    account = await uow.session.get(row, key.row_key(), populate_existing=True)
    assert account is not None  # just claimed in this transaction
    await _learn_and_announce(uow, account, now, params)
    return True


def _due(now: datetime, params: BestTimeParams) -> ColumnElement[bool]:
    row = BestTimeAccountRow
    return and_(
        row.stale.is_(True),
        or_(row.compute_time.is_(None), row.compute_time <= now - params.debounce),
    )


async def _learn_and_announce(
    uow: UnitOfWork, account: BestTimeAccountRow, now: datetime, params: BestTimeParams
) -> None:
    start = now - params.window
    key = AccountKey(account.tenant, account.brand_id, account.account_id)
    zone = zone_or_utc(account.time_zone)
    own = await _posts(uow, start, _is(key))
    peers = await _posts(uow, start, _peers_of(account, key))
    learned = learn(own.get(key, []), list(peers.values()), zone, now, params)
    zone_known = zone.key == account.time_zone
    network = NETWORK_LABELS.get(account.network, "unknown network")
    best = best_slots(learned.scores, 1, params.min_gap_minutes)
    sentences = explain(learned, Context(network, zone.key, zone_known), best, params)
    row = await _store(uow, key, zone.key, learned, sentences, now)
    announced = best_time_views.best_times(row, best_time_views.EVENT_SLOTS, params)
    subsidiary = subsidiary_name(key.tenant, account.subsidiary_id) if account.subsidiary_id else ""
    uow.emit(
        BEST_TIMES_UPDATED,
        key.tenant,
        events_pb2.BestTimesUpdated(best_times=announced, subsidiary=subsidiary),
    )


def _is(key: AccountKey) -> ColumnElement[bool]:
    account = BestTimeAccountRow
    return and_(
        account.tenant == key.tenant,
        account.brand_id == key.brand_id,
        account.account_id == key.account_id,
    )


def _peers_of(account: BestTimeAccountRow, key: AccountKey) -> ColumnElement[bool]:
    # Across tenants on purpose: the aggregate is shared only when enough accounts contribute
    # (domain/best_times/learner.py), and only as scores, never as posts or counts per tenant.
    peer = BestTimeAccountRow
    return and_(
        peer.network == account.network,
        peer.time_zone == account.time_zone,
        ~_is(key),
    )


async def _posts(
    uow: UnitOfWork, start: datetime, accounts: ColumnElement[bool]
) -> dict[AccountKey, list[PostRecord]]:
    post, account = BestTimePostRow, BestTimeAccountRow
    query = (
        select(
            post.tenant,
            post.brand_id,
            post.account_id,
            post.publish_time,
            post.interactions,
            post.impressions,
            post.followers,
        )
        .join(
            account,
            and_(
                account.tenant == post.tenant,
                account.brand_id == post.brand_id,
                account.account_id == post.account_id,
            ),
        )
        .where(accounts, post.publish_time >= start)
    )
    found: dict[AccountKey, list[PostRecord]] = defaultdict(list)
    for tenant, brand_id, account_id, moment, interactions, impressions, followers in (
        await uow.session.execute(query)
    ).all():
        record = PostRecord(utc(moment), interactions, impressions, followers)
        found[AccountKey(tenant, brand_id, account_id)].append(record)
    return found


async def _store(
    uow: UnitOfWork,
    key: AccountKey,
    zone: str,
    learned: LearnedBestTimes,
    sentences: list[str],
    now: datetime,
) -> BestTimesRow:
    row = await uow.session.get(BestTimesRow, key.row_key())
    if row is None:
        row = BestTimesRow(tenant=key.tenant, brand_id=key.brand_id, account_id=key.account_id)
        uow.session.add(row)
    row.time_zone = zone
    row.scores = [round(float(score), 4) for score in learned.scores]
    row.basis = learned.basis.value
    row.posts_used = learned.posts_used
    row.aggregate_posts_used = learned.aggregate_posts
    row.explanation = sentences
    row.compute_time = now
    return row
