"""The presence store's write path: accounts, 5-minute snapshots, day roll-ups, posts and their
day roll-ups.

Every write is a merge keyed by what it describes (account, 5-minute bucket, local day, post),
so a replayed or reordered snapshot changes nothing. One call takes a batch of snapshots (the
consumer passes one, the benchmark's bulk load a day of an account) and reads what it merges
into with one query per table.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import delete, select
from vigie_runtime.uow import UnitOfWork

from vigie_reputation.adapters.orm import (
    KnownSubsidiaryRow,
    PresenceAccountRow,
    PresenceDayRow,
    PresencePostRow,
    PresenceSnapshotRow,
)
from vigie_reputation.app.post_days_store import roll_up_post_days
from vigie_reputation.app.views import utc
from vigie_reputation.domain.presence.window import local_day

BUCKET = timedelta(minutes=5)


@dataclass(frozen=True)
class PostReading:
    uri: str
    url: str
    text: str
    create_time: datetime
    likes: int
    reposts: int
    replies: int
    quotes: int
    impressions: int
    reply_to_uri: str


@dataclass(frozen=True)
class SnapshotFacts:
    tenant: str
    account: str
    brand_id: str
    subsidiary_id: str
    network: int
    handle: str
    owned: bool
    time_zone: str
    time: datetime
    followers: int
    following: int
    posts: int
    recent_posts: Sequence[PostReading] = field(default_factory=tuple)


def bucket_of(moment: datetime) -> datetime:
    """The start of the 5-minute bucket holding `moment` (UTC)."""
    moment = moment.astimezone(UTC)
    return moment.replace(minute=moment.minute - moment.minute % 5, second=0, microsecond=0)


async def rollup_zone(uow: UnitOfWork, facts: SnapshotFacts) -> str:
    """The subsidiary's zone (from the directory replica), else the account's, else UTC."""
    known = await uow.session.get(KnownSubsidiaryRow, (facts.tenant, facts.subsidiary_id))
    return (known.time_zone if known and known.time_zone else "") or facts.time_zone or "UTC"


async def record_snapshots(
    uow: UnitOfWork, batch: Sequence[SnapshotFacts], retention: timedelta
) -> None:
    """Merges snapshots of one account (oldest to newest in any order) into the store."""
    if not batch:
        return
    latest = max(batch, key=lambda f: f.time)
    zone = await rollup_zone(uow, latest)
    await _merge_account(uow, latest, zone)
    await _merge_raw(uow, batch)
    opened_a_day = await _merge_days(uow, batch, zone)
    await _merge_posts(uow, batch, zone)
    if opened_a_day:
        # Once a day per account: raw rows past the retention go (the day roll-ups stay).
        table = PresenceSnapshotRow
        await uow.session.execute(
            delete(table).where(
                table.tenant == latest.tenant,
                table.account == latest.account,
                table.bucket < bucket_of(latest.time) - retention,
            )
        )


async def _merge_account(uow: UnitOfWork, facts: SnapshotFacts, zone: str) -> None:
    row = await uow.session.get(PresenceAccountRow, (facts.tenant, facts.account))
    if row is None:
        row = PresenceAccountRow(tenant=facts.tenant, account=facts.account)
        uow.session.add(row)
    elif utc(row.last_snapshot_time) > facts.time:
        return  # an older snapshot does not rewrite what a newer one said
    row.brand_id, row.subsidiary_id = facts.brand_id, facts.subsidiary_id
    row.network, row.handle, row.owned = facts.network, facts.handle, facts.owned
    row.time_zone, row.rollup_zone, row.last_snapshot_time = facts.time_zone, zone, facts.time


async def _merge_raw(uow: UnitOfWork, batch: Sequence[SnapshotFacts]) -> None:
    first = batch[0]
    newest: dict[datetime, SnapshotFacts] = {}
    for facts in batch:
        key = bucket_of(facts.time)
        if key not in newest or facts.time > newest[key].time:
            newest[key] = facts
    table = PresenceSnapshotRow
    query = select(table).where(
        table.tenant == first.tenant,
        table.account == first.account,
        table.bucket.in_(list(newest)),
    )
    existing = {utc(r.bucket): r for r in (await uow.session.execute(query)).scalars()}
    for key, facts in newest.items():
        row = existing.get(key)
        if row is None:
            row = PresenceSnapshotRow(tenant=facts.tenant, account=facts.account, bucket=key)
            uow.session.add(row)
        elif utc(row.snapshot_time) >= facts.time:
            continue  # the bucket keeps its latest snapshot
        row.snapshot_time = facts.time
        row.followers, row.following, row.posts = facts.followers, facts.following, facts.posts


async def _merge_days(uow: UnitOfWork, batch: Sequence[SnapshotFacts], zone: str) -> bool:
    """Widens each local day's first/last counters; True when a new day row was opened."""
    first = batch[0]
    local = ZoneInfo(zone)
    days = {local_day(f.time, local) for f in batch}
    table = PresenceDayRow
    query = select(table).where(
        table.tenant == first.tenant, table.account == first.account, table.day.in_(days)
    )
    rows = {r.day: r for r in (await uow.session.execute(query)).scalars()}
    opened = False
    for facts in sorted(batch, key=lambda f: f.time):
        day = local_day(facts.time, local)
        row = rows.get(day)
        if row is None:
            row = PresenceDayRow(tenant=facts.tenant, account=facts.account, day=day, zone=zone)
            _set_first(row, facts)
            _set_last(row, facts)
            uow.session.add(row)
            rows[day], opened = row, True
        elif facts.time < utc(row.first_time):
            _set_first(row, facts)
        elif facts.time > utc(row.last_time):
            _set_last(row, facts)
    return opened


def _set_first(row: PresenceDayRow, facts: SnapshotFacts) -> None:
    row.first_time, row.first_followers = facts.time, facts.followers
    row.first_following, row.first_posts = facts.following, facts.posts


def _set_last(row: PresenceDayRow, facts: SnapshotFacts) -> None:
    row.last_time, row.last_followers = facts.time, facts.followers
    row.last_following, row.last_posts = facts.following, facts.posts


async def _merge_posts(uow: UnitOfWork, batch: Sequence[SnapshotFacts], zone: str) -> None:
    readings: dict[str, tuple[SnapshotFacts, PostReading]] = {}
    first_seen: dict[str, SnapshotFacts] = {}
    for facts in sorted(batch, key=lambda f: f.time):
        for post in facts.recent_posts:
            readings[post.uri] = (facts, post)  # the newest reading wins
            first_seen.setdefault(post.uri, facts)
    if not readings:
        return
    first = batch[0]
    table = PresencePostRow
    query = select(table).where(
        table.tenant == first.tenant, table.account == first.account, table.uri.in_(readings)
    )
    rows = {r.uri: r for r in (await uow.session.execute(query)).scalars()}
    touched: set[datetime] = set()
    for uri, (facts, post) in readings.items():
        row = rows.get(uri)
        if row is None:
            row = PresencePostRow(tenant=facts.tenant, account=facts.account, uri=uri)
            row.followers_at_post = first_seen[uri].followers
            uow.session.add(row)
        elif utc(row.snapshot_time) >= facts.time:
            continue
        else:
            touched.add(utc(row.create_time))  # its old day, should its time have changed
        touched.add(post.create_time)
        row.brand_id, row.url, row.text = facts.brand_id, post.url, post.text
        row.create_time, row.reply_to_uri = post.create_time, post.reply_to_uri
        row.likes, row.reposts, row.replies = post.likes, post.reposts, post.replies
        row.quotes, row.impressions, row.snapshot_time = post.quotes, post.impressions, facts.time
    if touched:
        await roll_up_post_days(uow, first.tenant, first.account, touched, zone)
