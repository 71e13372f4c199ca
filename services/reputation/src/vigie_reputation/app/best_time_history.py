"""The best-time read model: an owned account's posts with their latest engagement, kept from
the publisher's snapshots. A replayed or late snapshot never overwrites a newer reading."""

import logging
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from vigie.publisher.v1 import resources_pb2 as publisher
from vigie_runtime.uow import UnitOfWork

from vigie_reputation.adapters.orm import (
    BestTimeAccountRow,
    BestTimePostRow,
    KnownSubsidiaryRow,
)
from vigie_reputation.app.views import utc

log = logging.getLogger(__name__)
MAX_URI = 512


@dataclass(frozen=True)
class AccountKey:
    tenant: str
    brand_id: str
    account_id: str

    def row_key(self) -> tuple[str, str, str]:
        return (self.tenant, self.brand_id, self.account_id)


async def record_snapshot(
    uow: UnitOfWork, key: AccountKey, subsidiary_id: str, snapshot: publisher.AccountSnapshot
) -> None:
    """Keeps the account's facts and its posts' latest engagement; marks the account stale
    when what the learner reads changed (a new post, new engagement, another time zone)."""
    moment = snapshot.snapshot_time.ToDatetime(tzinfo=UTC)
    zone = snapshot.time_zone or await _subsidiary_zone(uow, key.tenant, subsidiary_id)
    account = await uow.session.get(BestTimeAccountRow, key.row_key())
    zone_changed = False
    if account is None:
        account = BestTimeAccountRow(
            tenant=key.tenant, brand_id=key.brand_id, account_id=key.account_id, stale=True
        )
        uow.session.add(account)
    elif utc(account.snapshot_time) > moment:
        account = None  # a late snapshot: its posts may still be news, its facts are not
    if account is not None:
        zone_changed = account.time_zone is not None and account.time_zone != zone
        account.subsidiary_id = subsidiary_id
        account.network = snapshot.network
        account.handle = snapshot.handle[:255]
        account.time_zone = zone[:64]
        account.snapshot_time = moment
    if await _record_posts(uow, key, moment, snapshot) or zone_changed:
        await _mark_stale(uow, key)


async def _subsidiary_zone(uow: UnitOfWork, tenant: str, subsidiary_id: str) -> str:
    """The subsidiary's zone (directory replica) for an account whose schedule has none."""
    if not subsidiary_id:
        return ""
    subsidiary = await uow.session.get(KnownSubsidiaryRow, (tenant, subsidiary_id))
    return subsidiary.time_zone if subsidiary is not None else ""


async def _mark_stale(uow: UnitOfWork, key: AccountKey) -> None:
    account = await uow.session.get(BestTimeAccountRow, key.row_key())
    if account is not None:
        account.stale = True


async def _record_posts(
    uow: UnitOfWork, key: AccountKey, moment: datetime, snapshot: publisher.AccountSnapshot
) -> bool:
    posts = [p for p in snapshot.recent_posts if p.uri and p.HasField("create_time")]
    if any(len(p.uri) > MAX_URI for p in posts):
        log.warning("posts of %s with uris over %s characters are left out", key, MAX_URI)
        posts = [p for p in posts if len(p.uri) <= MAX_URI]
    known = await _known_posts(uow, key, [p.uri for p in posts])
    changed = False
    for post in posts:
        interactions = post.likes + post.reposts + post.replies + post.quotes
        row = known.get(post.uri)
        if row is None:
            row = BestTimePostRow(
                tenant=key.tenant,
                brand_id=key.brand_id,
                account_id=key.account_id,
                uri=post.uri,
                publish_time=post.create_time.ToDatetime(tzinfo=UTC),
                interactions=-1,
                impressions=-1,
                followers=0,
                snapshot_time=moment,
            )
            uow.session.add(row)
            known[post.uri] = row
        elif utc(row.snapshot_time) > moment:
            continue  # a newer reading is already kept
        changed = changed or (row.interactions, row.impressions) != (
            interactions,
            post.impressions,
        )
        row.interactions, row.impressions = interactions, post.impressions
        row.followers, row.snapshot_time = snapshot.followers, moment
    return changed


async def _known_posts(
    uow: UnitOfWork, key: AccountKey, uris: list[str]
) -> dict[str, BestTimePostRow]:
    if not uris:
        return {}
    query = select(BestTimePostRow).where(
        BestTimePostRow.tenant == key.tenant,
        BestTimePostRow.brand_id == key.brand_id,
        BestTimePostRow.account_id == key.account_id,
        BestTimePostRow.uri.in_(uris),
    )
    return {row.uri: row for row in (await uow.session.execute(query)).scalars()}
