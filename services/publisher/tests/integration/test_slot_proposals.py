"""Proposed slots: the replica of `best_times.updated` ranks an account's free moments by
score; without best times the queue's fixed slots are proposed; bad ranges are refused."""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import grpc
import pytest
from vigie.publisher.v1 import publisher_pb2 as rpc
from vigie.publisher.v1 import resources_pb2 as pb
from vigie.reputation.v1 import events_pb2, resources_pb2
from vigie_publisher.app import queues
from vigie_publisher.entrypoints.nats.best_times import BEST_TIMES_UPDATED, on_best_times_event
from vigie_runtime.events import IncomingEvent, cloudevent_headers
from vigie_runtime.principal import Role
from vigie_runtime.uow import UnitOfWork

from .api_support import Api, account, refused
from .conftest import FRANCE, OTHER_TENANT, TENANT, person
from .dispatch_support import approved_and_scheduled

# A week of June 2030 in Paris (UTC+2): Monday the 3rd to Monday the 10th.
MONDAY = datetime(2030, 6, 2, 22, 0, tzinfo=UTC)
WEEK = (MONDAY, MONDAY + timedelta(days=7))
SLOTS = [(3, 18 * 60 + 30, 2.4), (2, 9 * 60, 1.8), (1, 12 * 60, 1.2)]


def best_times_event(
    account_name: str, computed: datetime, slots: list[tuple[int, int, float]] = SLOTS,
    tenant: str = TENANT, basis: str = "own_history",
) -> IncomingEvent:  # fmt: skip
    best = resources_pb2.BestTimes(
        name=f"{account_name}/bestTimes", account=account_name, time_zone="Europe/Paris",
        slots=[resources_pb2.WeekSlot(weekday=w, minute_of_day=m, score=s) for w, m, s in slots],
        basis=basis, posts_used=40, explanation=["40 posts of the last 90 days"],
    )  # fmt: skip
    best.compute_time.FromDatetime(computed)
    message = events_pb2.BestTimesUpdated(best_times=best, subsidiary=FRANCE)
    headers = cloudevent_headers(
        f"bt-{computed.timestamp()}", BEST_TIMES_UPDATED.ce_type, "reputation", tenant, computed
    )
    return IncomingEvent.from_nats(
        BEST_TIMES_UPDATED.subject(tenant), headers, message.SerializeToString()
    )


async def deliver(uow: Callable[[], UnitOfWork], event: IncomingEvent) -> None:
    async with uow() as u:
        await on_best_times_event(u, event)
        await u.commit()


async def propose(
    api: Api, name: str, count: int = 2, window: tuple[datetime, datetime] = WEEK
) -> list[rpc.ProposedSlot]:
    request = rpc.ProposeSlotsRequest(social_account=name, page_size=count)
    request.start_time.FromDatetime(window[0])
    request.end_time.FromDatetime(window[1])
    response = await api.stub.ProposeSlots(request, metadata=api.as_(Role.COMMUNITY_MANAGER))
    assert response.time_zone == "Europe/Paris"
    return list(response.slots)


async def test_free_slots_are_ranked_by_the_best_times_score_with_the_reason(
    api: Api, uow: Callable[[], UnitOfWork]
) -> None:
    x = await account(api)
    await deliver(uow, best_times_event(x, datetime(2030, 1, 1, tzinfo=UTC)))
    best, second = await propose(api, x)
    assert (best.local_time, best.score, best.basis) == ("2030-06-05T18:30", 2.4, "own_history")
    assert best.time.ToDatetime(tzinfo=UTC) == datetime(2030, 6, 5, 16, 30, tzinfo=UTC)
    assert best.reason.startswith("best times from the account's own history (own_history): ")
    assert "Wednesday 18:30 scores 2.40" in best.reason
    assert (second.local_time, second.score) == ("2030-06-04T09:00", 1.8)
    # A post scheduled in the best slot takes it: the next ones move up.
    post = pb.Post(social_accounts=[x], variants=[pb.PostVariant(network=pb.NETWORK_X, text="Hi")])
    await approved_and_scheduled(uow, post, datetime(2030, 6, 5, 16, 32, tzinfo=UTC))
    assert [s.local_time for s in await propose(api, x)] == ["2030-06-04T09:00", "2030-06-03T12:00"]


async def test_the_replica_keeps_the_newest_computation_whatever_the_order(
    api: Api, uow: Callable[[], UnitOfWork]
) -> None:
    x = await account(api)
    newer = best_times_event(
        x, datetime(2030, 2, 1, tzinfo=UTC), [(5, 8 * 60, 3.0)], basis="network_aggregate"
    )
    await deliver(uow, newer)
    await deliver(uow, best_times_event(x, datetime(2030, 1, 1, tzinfo=UTC)))  # late, older
    await deliver(uow, newer)  # redelivered
    [only] = await propose(api, x, count=5)
    assert (only.local_time, only.basis) == ("2030-06-07T08:00", "network_aggregate")
    assert "the network's aggregate" in only.reason


async def test_another_tenants_best_times_are_never_applied(
    api: Api, uow: Callable[[], UnitOfWork]
) -> None:
    x = await account(api)
    with pytest.raises(ValueError, match="name"):
        await deliver(
            uow, best_times_event(x, datetime(2030, 1, 1, tzinfo=UTC), tenant=OTHER_TENANT)
        )


async def test_without_best_times_the_queues_fixed_slots_are_proposed_in_time_order(
    api: Api, uow: Callable[[], UnitOfWork]
) -> None:
    x = await account(api)
    async with uow() as u:
        slots = [pb.QueueSlot(weekday=pb.WEEKDAY_FRIDAY, local_time="17:00"),
                 pb.QueueSlot(weekday=pb.WEEKDAY_TUESDAY, local_time="08:15")]  # fmt: skip
        await queues.set_slots(u, person(Role.SOCIAL_MEDIA_MANAGER), x, slots)
        await u.commit()
    first, second, third = await propose(
        api, x, count=3, window=(MONDAY, MONDAY + timedelta(days=14))
    )
    assert [first.local_time, second.local_time, third.local_time] == [
        "2030-06-04T08:15", "2030-06-07T17:00", "2030-06-11T08:15",
    ]  # fmt: skip
    assert (first.basis, first.score) == ("queue", 0.0)
    assert first.reason == "queue slot Tuesday 08:15: no best times are known for this account yet"


async def test_bad_ranges_counts_and_accounts_are_refused(api: Api) -> None:
    x = await account(api)
    cases = [
        ((MONDAY, MONDAY + timedelta(days=32)), 2, "RANGE_TOO_LONG"),
        ((MONDAY, MONDAY - timedelta(hours=1)), 2, "EMPTY_RANGE"),
        (WEEK, 500, "INVALID_ARGUMENT"),
    ]
    for window, count, reason in cases:
        await refused(propose(api, x, count, window), grpc.StatusCode.INVALID_ARGUMENT, reason)
    missing = rpc.ProposeSlotsRequest(social_account=x)
    await refused(
        api.stub.ProposeSlots(missing, metadata=api.as_(Role.ANALYST)),
        grpc.StatusCode.INVALID_ARGUMENT,
        "INVALID_ARGUMENT",
    )
    request = rpc.ProposeSlotsRequest(social_account=x)
    request.start_time.FromDatetime(WEEK[0])
    request.end_time.FromDatetime(WEEK[1])
    await refused(
        api.stub.ProposeSlots(request, metadata=api.as_(Role.GROUP_ADMIN, tenant=OTHER_TENANT)),
        grpc.StatusCode.NOT_FOUND,
        "SOCIAL_ACCOUNT_NOT_FOUND",
    )
