"""Publication lateness as Prometheus reads it: a publication confirmed three minutes after its
due time counts once, in the buckets past two minutes (SQLite or PostgreSQL). The dispatcher's
clock is the test's, so the lateness is exact; the registry is the process's: deltas only."""

from collections.abc import Callable
from datetime import timedelta

from prometheus_client import REGISTRY
from vigie.publisher.v1 import resources_pb2 as pb
from vigie_runtime.uow import UnitOfWork

from .conftest import connect_account
from .dispatch_support import LATER, FakeNetwork, dispatcher, scheduled_post

LATENESS = "vigie_publication_lateness_seconds"


def observed(bucket: str | None = None) -> float:
    labels = {"service": "publisher"}
    if bucket is None:
        return REGISTRY.get_sample_value(f"{LATENESS}_count", labels) or 0.0
    return REGISTRY.get_sample_value(f"{LATENESS}_bucket", {**labels, "le": bucket}) or 0.0


async def test_a_publication_three_minutes_late_counts_once_past_two_minutes(
    uow: Callable[[], UnitOfWork],
) -> None:
    x = await connect_account(uow, pb.NETWORK_X, "@lumiere")
    await scheduled_post(uow, [x])
    before = observed(), observed("120.0"), observed("300.0")
    network = FakeNetwork("x")
    assert await dispatcher(uow, {"x": network}, LATER + timedelta(minutes=3)).tick() == 1
    # Nothing left to publish: a later tick observes nothing more.
    assert await dispatcher(uow, {"x": network}, LATER + timedelta(minutes=4)).tick() == 0
    after = observed(), observed("120.0"), observed("300.0")
    assert after[0] - before[0] == 1
    assert after[1] - before[1] == 0
    assert after[2] - before[2] == 1
