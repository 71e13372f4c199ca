"""Scheduling an approved post: one publication per account, at a UTC time or in each
account's next free slot of its own zone; past dates and unapproved posts refused."""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from vigie.publisher.v1 import resources_pb2 as pb
from vigie_publisher.adapters.orm import PublicationRow
from vigie_publisher.app import approvals, posts, queues, scheduling
from vigie_runtime.errors import FailedPrecondition, InvalidArgument
from vigie_runtime.principal import Role
from vigie_runtime.uow import UnitOfWork

from .conftest import BRAND_NAME, connect_account, person

WRITER = person(Role.COMMUNITY_MANAGER, "writer")
MANAGER = person(Role.SOCIAL_MEDIA_MANAGER, "manager")


async def approved_post(
    uow: Callable[[], UnitOfWork], accounts: list[str], submit: bool = True
) -> str:
    source = pb.Post(
        social_accounts=accounts,
        variants=[
            pb.PostVariant(network=pb.NETWORK_X, text="Hello"),
            pb.PostVariant(network=pb.NETWORK_BLUESKY, text="Bonjour"),
        ],
    )
    async with uow() as u:
        row = await posts.create(u, WRITER, BRAND_NAME, source, "")
        await u.commit()
    name = f"{BRAND_NAME}/posts/{row.id}"
    if submit:  # no policy: approved on submission
        async with uow() as u:
            await approvals.submit(u, WRITER, name, "", "")
            await u.commit()
    return name


async def schedule(uow: Callable[[], UnitOfWork], name: str, when: datetime | None) -> list[str]:
    async with uow() as u:
        _, warnings = await scheduling.schedule(u, WRITER, name, "", when)
        await u.commit()
    return warnings


async def publications(uow: Callable[[], UnitOfWork]) -> list[PublicationRow]:
    async with uow() as u:
        query = select(PublicationRow).order_by(PublicationRow.due_at, PublicationRow.network)
        return list((await u.session.execute(query)).scalars())


async def test_a_post_gets_one_publication_per_account_with_its_networks_variant(
    uow: Callable[[], UnitOfWork],
) -> None:
    x = await connect_account(uow, pb.NETWORK_X, "@lumiere")
    bsky = await connect_account(uow, pb.NETWORK_BLUESKY, "lumiere.bsky.social")
    name = await approved_post(uow, [x, bsky])
    when = datetime.now(UTC).replace(microsecond=0) + timedelta(hours=2)
    assert await schedule(uow, name, when) == []
    found = await publications(uow)
    assert [(p.network, p.state, p.variant["parts"][0]["text"]) for p in found] == [
        ("bluesky", "scheduled", "Bonjour"),
        ("x", "scheduled", "Hello"),
    ]
    assert {p.due_at.replace(tzinfo=UTC) for p in found} == {when}


async def test_without_a_time_each_post_takes_the_accounts_next_free_local_slot(
    uow: Callable[[], UnitOfWork],
) -> None:
    x = await connect_account(uow, pb.NETWORK_X, "@lumiere_ny", "America/New_York")
    async with uow() as u:
        slots = [pb.QueueSlot(weekday=d, local_time="09:30") for d in range(1, 8)]
        await queues.set_slots(u, MANAGER, x, slots)
        await u.commit()
    for _ in range(2):
        await schedule(uow, await approved_post(uow, [x]), None)
    dues = [
        p.due_at.replace(tzinfo=UTC).astimezone(ZoneInfo("America/New_York"))
        for p in await publications(uow)
    ]
    assert [(d.hour, d.minute) for d in dues] == [(9, 30), (9, 30)]
    assert dues[1] - dues[0] == timedelta(days=1)


async def test_an_account_without_slots_needs_a_time(uow: Callable[[], UnitOfWork]) -> None:
    x = await connect_account(uow, pb.NETWORK_X, "@lumiere")
    with pytest.raises(FailedPrecondition) as caught:
        await schedule(uow, await approved_post(uow, [x]), None)
    assert caught.value.reason == "NO_FREE_SLOT"


async def test_past_dates_and_unapproved_posts_are_refused(uow: Callable[[], UnitOfWork]) -> None:
    x = await connect_account(uow, pb.NETWORK_X, "@lumiere")
    with pytest.raises(InvalidArgument) as past:
        await schedule(uow, await approved_post(uow, [x]), datetime.now(UTC) - timedelta(minutes=5))
    assert past.value.reason == "PAST_DATE"
    with pytest.raises(FailedPrecondition) as draft:
        await schedule(uow, await approved_post(uow, [x], submit=False), None)
    assert draft.value.reason == "POST_NOT_APPROVED"
    assert await publications(uow) == []
