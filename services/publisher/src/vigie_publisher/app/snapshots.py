"""Taking an account's snapshot: read its statistics (outside any transaction: a network may be
slow), then in one transaction record the time and emit `account.snapshotted` through the
outbox. A failed read records why and leaves the last snapshot time as it was."""

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from vigie.publisher.v1 import events_pb2
from vigie.publisher.v1 import resources_pb2 as pb
from vigie_runtime.errors import FailedPrecondition
from vigie_runtime.uow import UnitOfWork

from vigie_publisher.adapters.credentials import CredentialsUnreadable, CredentialVault
from vigie_publisher.adapters.orm import SocialAccountRow, TrackedAccountRow
from vigie_publisher.app import events
from vigie_publisher.app.common import now, utc
from vigie_publisher.app.names import BRAND, SUBSIDIARY
from vigie_publisher.app.networks import to_proto
from vigie_publisher.app.snapshot_targets import Target, due_targets, locked_row
from vigie_publisher.app.views import stamp
from vigie_publisher.domain.presence.due import due_if_taken_before
from vigie_publisher.domain.presence.stats import (
    AccountStats,
    AccountToRead,
    StatsNotRead,
    StatsReader,
)
from vigie_publisher.domain.publishing import PublishError

log = logging.getLogger(__name__)
Clock = Callable[[], datetime]


class Snapshotter:
    """Takes snapshots of due accounts (the loop) or of one account (the RPC)."""

    def __init__(
        self,
        uow: Callable[[], UnitOfWork],
        vault: CredentialVault,
        reader: StatsReader,
        *,
        concurrency: int = 8,
        clock: Clock = now,
    ) -> None:
        self._uow, self._vault, self._reader = uow, vault, reader
        self._gate = asyncio.Semaphore(concurrency)
        self._clock = clock

    async def snapshot_due(self, interval: timedelta) -> int:
        """Snapshots every due account, a few at once; how many were emitted."""
        async with self._uow() as u:
            targets = await due_targets(u, due_if_taken_before(self._clock(), interval))

        async def one(target: Target) -> bool:
            async with self._gate:
                return await self.snapshot(target, only_if_unchanged=True) is not None

        return sum(await asyncio.gather(*(one(t) for t in targets)))

    async def snapshot(
        self, target: Target, *, only_if_unchanged: bool = False
    ) -> pb.AccountSnapshot | None:
        """The snapshot emitted, or None when the read failed (recorded on the account) or,
        with `only_if_unchanged`, when another snapshotter took it since it was found due."""
        snapshot, _ = await self._take(target, only_if_unchanged)
        return snapshot

    async def snapshot_now(self, target: Target) -> pb.AccountSnapshot:
        """One account's snapshot on demand; a failed read is FAILED_PRECONDITION, with why."""
        snapshot, why = await self._take(target, only_if_unchanged=False)
        if snapshot is None:
            raise FailedPrecondition("SNAPSHOT_NOT_READ", why or f"{target.name} is gone")
        return snapshot

    async def _take(
        self, target: Target, only_if_unchanged: bool
    ) -> tuple[pb.AccountSnapshot | None, str]:
        taken_at = self._clock()
        try:
            stats = await self._reader.read(self._to_read(target), taken_at)
        except (StatsNotRead, PublishError, CredentialsUnreadable) as exc:
            why = _why(exc)
        except Exception as exc:  # one account's surprise must not stop the others
            log.exception("snapshot of %s failed", target.name)
            why = f"unexpected: {exc!r}"
        else:
            return await self._record(target, stats, taken_at, only_if_unchanged), ""
        await self._record_failure(target, why)
        return None, why

    def _to_read(self, target: Target) -> AccountToRead:
        opened = self._vault.open(target.sealed_credentials) if target.owned else None
        credentials = {k: str(v) for k, v in opened.items()} if opened is not None else None
        return AccountToRead(target.network, target.handle, target.instance_url, credentials)

    async def _record(
        self, target: Target, stats: AccountStats, taken_at: datetime, only_if_unchanged: bool
    ) -> pb.AccountSnapshot | None:
        async with self._uow() as u:
            row = await locked_row(u, target)
            if row is None:
                return None
            last = utc(row.last_snapshot_at) if row.last_snapshot_at else None
            if only_if_unchanged and last != target.last_snapshot_at:
                return None  # taken meanwhile (another replica): never emitted twice
            row.last_snapshot_at = taken_at
            _set_error(row, "")
            snapshot = account_snapshot(target, stats, taken_at)
            subsidiary = SUBSIDIARY.format(target.tenant, target.subsidiary_id)
            event = events_pb2.AccountSnapshotted(snapshot=snapshot, subsidiary=subsidiary)
            u.emit(events.ACCOUNT_SNAPSHOTTED, target.tenant, event)
            await u.commit()
        return snapshot

    async def _record_failure(self, target: Target, why: str) -> None:
        async with self._uow() as u:
            row = await locked_row(u, target)
            if row is not None:
                _set_error(row, why)
                await u.commit()


def _set_error(row: SocialAccountRow | TrackedAccountRow, why: str) -> None:
    # The contract calls it `last_error` on tracked accounts; a social account's own
    # `health_cause` is about its token, so its snapshot error has a column of its own.
    if isinstance(row, SocialAccountRow):
        row.snapshot_error = why[:1000]
    else:
        row.last_error = why[:1000]


def _why(exc: Exception) -> str:
    if isinstance(exc, PublishError):
        return f"the network refused the read: {exc.detail}"
    return str(exc)


def account_snapshot(target: Target, stats: AccountStats, taken_at: datetime) -> pb.AccountSnapshot:
    return pb.AccountSnapshot(
        account=target.name,
        brand=BRAND.format(target.tenant, target.brand_id),
        network=to_proto(target.network),
        handle=target.handle,
        owned=target.owned,
        snapshot_time=stamp(taken_at),
        followers=stats.followers,
        following=stats.following,
        posts=stats.posts,
        time_zone=target.time_zone,
        recent_posts=[
            pb.PostEngagement(
                uri=p.uri, url=p.url, create_time=stamp(p.created_at), likes=p.likes,
                reposts=p.reposts, replies=p.replies, quotes=p.quotes,
                impressions=p.impressions, reply_to_uri=p.reply_to, text=p.text,
            )
            for p in stats.recent
        ],
    )  # fmt: skip
