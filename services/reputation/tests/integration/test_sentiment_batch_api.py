"""BatchGetMentionSentiments as the gateway uses it: one read for a page of mentions, in the
order asked; a mention not scored yet fails the batch, or is left out with `skip_missing`;
another tenant's names are NOT_FOUND; a role on another subsidiary is refused (SQLite or
PostgreSQL)."""

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

import grpc
import pytest
from vigie.reputation.v1 import reputation_pb2 as rpc
from vigie.reputation.v1 import resources_pb2 as pb
from vigie_runtime.grpc_errors import error_info
from vigie_runtime.principal import Role
from vigie_runtime.testing.waiting import eventually

if TYPE_CHECKING:
    from conftest import Reputation

TENANT = "t_acme"
LUMIERE = f"tenants/{TENANT}/brands/lumiere"


def sentiment_of(mention: str) -> str:
    return f"{LUMIERE}/mentions/{mention}/sentiment"


async def scored(reputation: "Reputation") -> None:
    """m1 negative, m2 positive, scored from real `mention.captured` events."""
    hour_ago = datetime.now(UTC) - timedelta(hours=1)
    await reputation.brand(TENANT, "lumiere", [])
    await reputation.listener.capture(TENANT, "m1", "awful, I hate it", published=hour_ago)
    await reputation.listener.capture(TENANT, "m2", "I love it, wonderful", published=hour_ago)
    names = [sentiment_of("m1"), sentiment_of("m2")]

    async def both_scored() -> bool:
        # Its own state, not a count of processed events (others share a server's NATS).
        answer = await reputation.stub.BatchGetMentionSentiments(
            batch(names, skip_missing=True), metadata=reputation.admin(TENANT)
        )
        return len(answer.sentiments) == 2

    await eventually(both_scored, 90)


def batch(names: list[str], skip_missing: bool = False) -> rpc.BatchGetMentionSentimentsRequest:
    return rpc.BatchGetMentionSentimentsRequest(
        parent=f"tenants/{TENANT}", names=names, skip_missing=skip_missing
    )


async def test_sentiments_come_in_the_order_asked(reputation: "Reputation") -> None:
    await scored(reputation)
    names = [sentiment_of("m2"), sentiment_of("m1")]
    answer = await reputation.stub.BatchGetMentionSentiments(
        batch(names), metadata=reputation.admin(TENANT)
    )
    assert [s.name for s in answer.sentiments] == names
    assert [s.label for s in answer.sentiments] == [
        pb.SENTIMENT_LABEL_POSITIVE,
        pb.SENTIMENT_LABEL_NEGATIVE,
    ]


async def test_a_mention_not_scored_fails_the_batch_unless_skipped(
    reputation: "Reputation",
) -> None:
    await scored(reputation)
    names = [sentiment_of("m1"), sentiment_of("not-yet"), sentiment_of("m2")]
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await reputation.stub.BatchGetMentionSentiments(
            batch(names), metadata=reputation.admin(TENANT)
        )
    assert caught.value.code() == grpc.StatusCode.NOT_FOUND
    info = error_info(caught.value)
    assert info is not None and info.reason == "SENTIMENT_NOT_FOUND"
    answer = await reputation.stub.BatchGetMentionSentiments(
        batch(names, skip_missing=True), metadata=reputation.admin(TENANT)
    )
    assert [s.name for s in answer.sentiments] == [sentiment_of("m1"), sentiment_of("m2")]


async def test_another_tenant_cannot_read_them_even_skipping(reputation: "Reputation") -> None:
    await scored(reputation)
    other = rpc.BatchGetMentionSentimentsRequest(
        parent="tenants/t_other", names=[sentiment_of("m1")], skip_missing=True
    )
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await reputation.stub.BatchGetMentionSentiments(other, metadata=reputation.admin("t_other"))
    assert caught.value.code() == grpc.StatusCode.NOT_FOUND


async def test_only_roles_on_the_brands_subsidiary_read_them(reputation: "Reputation") -> None:
    await scored(reputation)
    names = [sentiment_of("m1"), sentiment_of("m2")]
    france = reputation.as_role(TENANT, Role.ANALYST, f"tenants/{TENANT}/subsidiaries/france")
    spain = reputation.as_role(TENANT, Role.ANALYST, f"tenants/{TENANT}/subsidiaries/spain")

    async def france_reads_them() -> bool:
        # Once the replica knows lumiere is France's (before, a group-wide role is required).
        try:
            answer = await reputation.stub.BatchGetMentionSentiments(batch(names), metadata=france)
        except grpc.aio.AioRpcError:
            return False
        return [s.name for s in answer.sentiments] == names

    await eventually(france_reads_them, 30)
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await reputation.stub.BatchGetMentionSentiments(batch(names), metadata=spain)
    assert caught.value.code() == grpc.StatusCode.PERMISSION_DENIED
