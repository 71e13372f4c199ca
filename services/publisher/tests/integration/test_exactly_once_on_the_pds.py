"""Exactly once against a real Bluesky PDS: the dispatcher runs as its own process and kills
itself with SIGKILL at a chosen point (after the network confirmed, before the database knew;
and at random points, many times); a restarted dispatcher leaves exactly one post per part."""

import asyncio
import os
import random
import secrets
import signal
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select, update
from vigie.publisher.v1 import resources_pb2 as pb
from vigie_publisher.adapters.faults import CLAIMED, CONFIRMED, RECORDED
from vigie_publisher.adapters.orm import PublicationRow
from vigie_publisher.app import approvals, posts, scheduling
from vigie_runtime.principal import Role
from vigie_runtime.testing.bluesky_fixture import bluesky_pds_fixture  # noqa: F401 - registers `bluesky_pds`
from vigie_runtime.testing.bluesky_pds import BlueskyPds
from vigie_runtime.testing.tokens import TestKeys
from vigie_runtime.testing.waiting import eventually
from vigie_runtime.uow import UnitOfWork

from .conftest import BRAND_NAME, TEST_KEY, connect_source, person

pytestmark = [pytest.mark.node, pytest.mark.timeout(1200)]
WRITER = person(Role.COMMUNITY_MANAGER, "writer")
THREAD = " ".join(["Une phrase assez longue pour faire un fil sur Bluesky."] * 8)


async def bluesky_account(uow: Callable[[], UnitOfWork], pds: BlueskyPds) -> tuple[str, str]:
    did, handle, password = pds.create_account(f"pub{secrets.token_hex(4)}")
    source = pb.SocialAccount(
        network=pb.NETWORK_BLUESKY,
        handle=handle,
        time_zone="Europe/Paris",
        credentials=pb.SocialAccountCredentials(
            bluesky=pb.BlueskyCredentials(
                service_url=pds.url, identifier=handle, app_password=password
            )
        ),
    )
    return await connect_source(uow, source), did


async def due_now(uow: Callable[[], UnitOfWork], account: str, text: str) -> str:
    """A scheduled post whose publication is due already; the publication id."""
    source = pb.Post(
        social_accounts=[account], variants=[pb.PostVariant(network=pb.NETWORK_BLUESKY, text=text)]
    )
    async with uow() as u:
        row = await posts.create(u, WRITER, BRAND_NAME, source, "")
        await u.commit()
    name = f"{BRAND_NAME}/posts/{row.id}"
    async with uow() as u:
        await approvals.submit(u, WRITER, name, "", "")
        await scheduling.schedule(u, WRITER, name, "", datetime.now(UTC) + timedelta(hours=1))
        due = datetime.now(UTC).replace(microsecond=0) - timedelta(seconds=1)
        await u.session.execute(
            update(PublicationRow)
            .where(PublicationRow.post_id == row.id)
            .values(due_at=due, not_before=due)
        )
        await u.commit()
        found = await u.session.execute(
            select(PublicationRow.id).where(PublicationRow.post_id == row.id)
        )
        return str(found.scalar_one())


def worker(env: dict[str, str], kill_at: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "vigie_publisher", "worker"],
        env={**env, "PUBLISHER_FAULT_KILL_AT": kill_at},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def records(pds: BlueskyPds, did: str) -> int:
    listed = httpx.get(
        f"{pds.url}/xrpc/com.atproto.repo.listRecords",
        params={"repo": did, "collection": "app.bsky.feed.post", "limit": 100},
        timeout=10,
    )
    listed.raise_for_status()
    return len(listed.json()["records"])


@pytest.fixture
def worker_env(tmp_path: Path, database_url: str, nats_url: str) -> dict[str, str]:
    jwks = tmp_path / "jwks.json"
    TestKeys(jwks)
    return {
        **os.environ,
        "PUBLISHER_DATABASE_URL": database_url,
        "VIGIE_NATS_URL": nats_url,
        "VIGIE_JWKS_FILE": str(jwks),
        "VIGIE_ENVIRONMENT": "test",
        "PUBLISHER_CREDENTIALS_KEYS": TEST_KEY,
        "PUBLISHER_DISPATCH_POLL_S": "0.2",
        "PUBLISHER_DISPATCH_CALL_DEADLINE_S": "3",
        "PUBLISHER_DISPATCH_LEASE_S": "7",
    }


async def killed_then_restarted(
    uow: Callable[[], UnitOfWork], env: dict[str, str], publication_id: str, kill_at: str
) -> PublicationRow:
    first = worker(env, kill_at)
    code = await asyncio.to_thread(first.wait, 120)
    assert code == -signal.SIGKILL, f"the dispatcher was to kill itself at {kill_at}"
    second = worker(env, "")
    try:

        async def settled() -> bool:
            async with uow() as u:
                row = await u.session.get(PublicationRow, publication_id)
                return row is not None and row.state == "published"

        await eventually(settled, seconds=90)
    finally:
        second.send_signal(signal.SIGTERM)
        await asyncio.to_thread(second.wait, 30)
    async with uow() as u:
        row = await u.session.get(PublicationRow, publication_id)
        assert row is not None
        return row


async def test_killed_after_the_pds_confirmed_and_restarted_it_posts_exactly_once(
    uow: Callable[[], UnitOfWork], bluesky_pds: BlueskyPds, worker_env: dict[str, str]
) -> None:
    account, did = await bluesky_account(uow, bluesky_pds)
    publication_id = await due_now(uow, account, "Exactement une fois.")
    row = await killed_then_restarted(uow, worker_env, publication_id, CONFIRMED)
    assert records(bluesky_pds, did) == 1
    assert row.external_id.startswith(f"at://{did}/app.bsky.feed.post/")
    assert row.attempts == 2


async def test_killed_at_random_points_many_times_every_part_is_posted_once(
    uow: Callable[[], UnitOfWork], bluesky_pds: BlueskyPds, worker_env: dict[str, str]
) -> None:
    account, did = await bluesky_account(uow, bluesky_pds)
    chooser = random.Random(int(os.environ.get("VIGIE_FAULT_SEED", "5")))
    for _ in range(int(os.environ.get("VIGIE_FAULT_RUNS", "6"))):
        text = THREAD if chooser.random() < 0.5 else f"Un post {secrets.token_hex(3)}"
        publication_id = await due_now(uow, account, text)
        await killed_then_restarted(
            uow, worker_env, publication_id, chooser.choice([CLAIMED, CONFIRMED, RECORDED])
        )
    async with uow() as u:
        rows = (await u.session.execute(select(PublicationRow))).scalars().all()
        total_parts = sum(len(r.variant["parts"]) for r in rows)
    assert records(bluesky_pds, did) == total_parts
