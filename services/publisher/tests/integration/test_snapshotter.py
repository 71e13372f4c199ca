"""The snapshotter's rounds: each due account once per interval, from the stored snapshot
times (a restart neither skips nor doubles), one failure recorded without stopping the rest.
Mastodon is played by its documented contract (tests/contract/stats_doubles.py)."""

from collections.abc import Callable
from datetime import datetime, timedelta

import httpx
from sqlalchemy import select
from vigie.publisher.v1 import events_pb2
from vigie.publisher.v1 import resources_pb2 as pb
from vigie_publisher.adapters.credentials import CredentialVault
from vigie_publisher.adapters.orm import SocialAccountRow, TrackedAccountRow
from vigie_publisher.adapters.stats.readers import NetworkStatsReaders, ReaderSettings
from vigie_publisher.app import tracked_accounts
from vigie_publisher.app.events import ACCOUNT_SNAPSHOTTED
from vigie_publisher.app.snapshot_targets import target_of
from vigie_publisher.app.snapshots import Snapshotter
from vigie_runtime.host import Plumbing
from vigie_runtime.principal import Role
from vigie_runtime.uow import UnitOfWork

from ..contract.stats_doubles import NOW, MastodonDouble
from .conftest import BRAND_NAME, FRANCE, TEST_KEY, connect_source, emitted, person

INTERVAL = timedelta(minutes=15)


def snapshotter(uow: Callable[[], UnitOfWork], at: datetime) -> Snapshotter:
    """A snapshotter as a worker (re)starts it, its clock standing at `at`."""
    double = MastodonDouble([timedelta(hours=3), timedelta(days=2)])
    reader = NetworkStatsReaders(ReaderSettings(deadline_s=5), httpx.MockTransport(double))
    return Snapshotter(uow, CredentialVault([TEST_KEY]), reader, clock=lambda: at)


async def track(uow: Callable[[], UnitOfWork], network: int, handle: str) -> str:
    async with uow() as u:
        source = pb.TrackedAccount(network=network, handle=handle)  # type: ignore[arg-type]
        row = await tracked_accounts.create(
            u, person(Role.SOCIAL_MEDIA_MANAGER), BRAND_NAME, source, ""
        )
        await u.commit()
    return row.id


async def owned_mastodon(uow: Callable[[], UnitOfWork]) -> str:
    credentials = pb.SocialAccountCredentials(
        mastodon=pb.MastodonCredentials(instance_url="https://mastodon.example", access_token="t")
    )
    source = pb.SocialAccount(
        network=pb.NETWORK_MASTODON,
        handle="@rival",
        time_zone="Europe/Paris",
        credentials=credentials,
    )
    return await connect_source(uow, source)


async def snapshots(plumbing: Plumbing) -> list[pb.AccountSnapshot]:
    found = await emitted(plumbing, ACCOUNT_SNAPSHOTTED.ce_type)
    return [events_pb2.AccountSnapshotted.FromString(p).snapshot for p in found]


async def test_each_due_account_is_snapshotted_once_per_interval_across_restarts(
    uow: Callable[[], UnitOfWork], plumbing: Plumbing
) -> None:
    rival = await track(uow, pb.NETWORK_MASTODON, "@rival@mastodon.example")
    assert await snapshotter(uow, NOW).snapshot_due(INTERVAL) == 1
    # Restarted ten minutes later: nothing is due yet, nothing is emitted again.
    assert await snapshotter(uow, NOW + timedelta(minutes=10)).snapshot_due(INTERVAL) == 0
    assert len(await snapshots(plumbing)) == 1
    # Once the interval has passed since the stored snapshot time, it is due again.
    assert await snapshotter(uow, NOW + INTERVAL).snapshot_due(INTERVAL) == 1
    first, second = await snapshots(plumbing)
    assert first.account == second.account == f"{BRAND_NAME}/trackedAccounts/{rival}"
    assert (first.followers, first.following, first.posts, len(first.recent_posts)) == (
        1200,
        31,
        412,
        2,
    )
    assert second.snapshot_time.ToDatetime() - first.snapshot_time.ToDatetime() == INTERVAL


async def test_a_snapshot_taken_meanwhile_by_another_worker_is_not_emitted_again(
    uow: Callable[[], UnitOfWork], plumbing: Plumbing
) -> None:
    rival = await track(uow, pb.NETWORK_MASTODON, "@rival@mastodon.example")
    async with uow() as u:
        found_due = target_of(await u.session.get_one(TrackedAccountRow, rival))
    assert await snapshotter(uow, NOW).snapshot_due(INTERVAL) == 1
    late = await snapshotter(uow, NOW).snapshot(found_due, only_if_unchanged=True)
    assert late is None and len(await snapshots(plumbing)) == 1


async def test_a_failed_read_is_recorded_and_the_other_accounts_are_still_snapshotted(
    uow: Callable[[], UnitOfWork], plumbing: Plumbing
) -> None:
    unknown = await track(uow, pb.NETWORK_MASTODON, "@nobody@mastodon.example")
    linkedin = await track(uow, pb.NETWORK_LINKEDIN, "lumiere-rival")
    owned = await owned_mastodon(uow)
    assert await snapshotter(uow, NOW).snapshot_due(INTERVAL) == 1
    [snapshot] = await snapshots(plumbing)
    assert (snapshot.account, snapshot.owned, snapshot.time_zone) == (owned, True, "Europe/Paris")
    async with uow() as u:
        errors = dict(
            (
                await u.session.execute(select(TrackedAccountRow.id, TrackedAccountRow.last_error))
            ).all()
        )
        times = list(
            (await u.session.execute(select(TrackedAccountRow.last_snapshot_at))).scalars()
        )
        account = (await u.session.execute(select(SocialAccountRow))).scalar_one()
    assert errors == {
        unknown: "no account nobody@mastodon.example on https://mastodon.example",
        linkedin: "Vigie does not read linkedin statistics yet",
    }
    assert times == [None, None] and account.snapshot_error == "" and account.last_snapshot_at
    event = events_pb2.AccountSnapshotted.FromString(
        (await emitted(plumbing, ACCOUNT_SNAPSHOTTED.ce_type))[0]
    )
    assert event.subsidiary == FRANCE
