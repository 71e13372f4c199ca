"""Measures, share of voice, the Reputation Index and corrections, as a client reads them over
gRPC, after real `mention.captured` events (SQLite or PostgreSQL)."""

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

import grpc
import pytest
from google.protobuf.timestamp_pb2 import Timestamp
from vigie.reputation.v1 import reputation_pb2 as rpc
from vigie.reputation.v1 import resources_pb2 as pb
from vigie_runtime.grpc_errors import error_info
from vigie_runtime.principal import Role
from vigie_runtime.testing.waiting import eventually

if TYPE_CHECKING:
    from conftest import Reputation

TENANT = "t_acme"
OTHER = "t_other"
LUMIERE = f"tenants/{TENANT}/brands/lumiere"
NOW = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)


def ts(moment: datetime) -> Timestamp:
    stamp = Timestamp()
    stamp.FromDatetime(moment)
    return stamp


async def refused(call, code: grpc.StatusCode, reason: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await call
    assert caught.value.code() == code, caught.value.details()
    info = error_info(caught.value)
    assert info is not None and info.reason == reason, info


async def seed(reputation: "Reputation") -> None:
    """lumiere (rival is its competitor): 2 negative + 1 positive, 1 rival mention."""
    listener = reputation.listener
    hour_ago = NOW - timedelta(hours=1)
    await reputation.brand(TENANT, "lumiere", ["rival"])
    await listener.capture(TENANT, "m1", "awful, I hate it, terrible", published=hour_ago)
    await listener.capture(
        TENANT,
        "m2",
        "worst service ever, disgusting",
        published=hour_ago,
        followers=900_000,
        language="fr",
        country="FR",
    )
    await listener.capture(TENANT, "m3", "I love it, wonderful, great", published=hour_ago)
    await listener.capture(TENANT, "r1", "love it", brand="rival", published=hour_ago)
    await eventually(lambda: reputation.processed(5))


def measures(brand: str = LUMIERE, **changes: object) -> rpc.GetMeasuresRequest:
    request = rpc.GetMeasuresRequest(
        brand=brand,
        start_time=ts(NOW - timedelta(hours=3)),
        end_time=ts(NOW),
        granularity=pb.GRANULARITY_HOUR,
    )
    for field, value in changes.items():
        if isinstance(value, Timestamp):
            getattr(request, field).CopyFrom(value)
        else:
            setattr(request, field, value)
    return request


async def test_measures_count_each_mention_in_its_bucket_and_dimension(
    reputation: "Reputation",
) -> None:
    await seed(reputation)
    stub, auth = reputation.stub, reputation.admin(TENANT)
    (series,) = (await stub.GetMeasures(measures(), metadata=auth)).series
    assert [p.volume for p in series.points] == [0, 0, 3]
    last = series.points[-1]
    assert (last.positive_count, last.negative_count) == (1, 2)
    assert last.net_sentiment == pytest.approx(-1 / 3)
    # The 900k-follower negative mention weighs more than its count.
    assert last.reach_weighted_net_sentiment < last.net_sentiment
    split = await stub.GetMeasures(measures(dimension=pb.DIMENSION_LANGUAGE), metadata=auth)
    assert {s.dimension_value: sum(p.volume for p in s.points) for s in split.series} == {
        "en": 2,
        "fr": 1,
    }
    group = await stub.GetMeasures(measures(brand=f"tenants/{TENANT}/brands/-"), metadata=auth)
    assert sum(p.volume for p in group.series[0].points) == 3  # own brands only


async def test_share_of_voice_sets_the_brand_against_its_competitors(
    reputation: "Reputation",
) -> None:
    await seed(reputation)
    request = rpc.GetShareOfVoiceRequest(
        brand=LUMIERE, start_time=ts(NOW - timedelta(days=1)), end_time=ts(NOW)
    )
    answer = await reputation.stub.GetShareOfVoice(request, metadata=reputation.admin(TENANT))
    assert [(s.brand.rsplit("/", 1)[1], s.volume) for s in answer.shares] == [
        ("lumiere", 3),
        ("rival", 1),
    ]
    assert answer.total_volume == 4 and answer.shares[0].share == pytest.approx(0.75)


async def test_the_index_falls_with_negative_mentions_and_names_the_loudest(
    reputation: "Reputation",
) -> None:
    await seed(reputation)
    request = rpc.GetReputationIndexRequest(name=f"{LUMIERE}/reputationIndex")
    answer = await reputation.stub.GetReputationIndex(request, metadata=reputation.admin(TENANT))
    assert 0 <= answer.value < 50 and answer.previous_value == 50
    top = answer.explanation.top_mentions[0]
    assert top.mention == f"{LUMIERE}/mentions/m2" and top.label == pb.SENTIMENT_LABEL_NEGATIVE
    assert 0 < top.contribution <= 1


async def test_a_correction_is_kept_beside_the_model_label_and_moves_the_measures(
    reputation: "Reputation",
) -> None:
    await seed(reputation)
    stub, auth = reputation.stub, reputation.admin(TENANT)
    name = f"{LUMIERE}/mentions/m1/sentiment"
    request = rpc.CorrectSentimentRequest(name=name, corrected_label=pb.SENTIMENT_LABEL_POSITIVE)
    corrected = await stub.CorrectSentiment(request, metadata=auth)
    assert corrected.label == pb.SENTIMENT_LABEL_NEGATIVE  # the model's, kept for evaluation
    assert corrected.corrected_label == pb.SENTIMENT_LABEL_POSITIVE
    assert corrected.corrected_by.startswith(f"tenants/{TENANT}/members/")
    await stub.CorrectSentiment(request, metadata=auth)  # the same correction again: no change
    last = (await stub.GetMeasures(measures(), metadata=auth)).series[0].points[-1]
    assert (last.volume, last.positive_count, last.negative_count) == (3, 2, 1)


async def test_an_analyst_reads_but_may_not_correct(reputation: "Reputation") -> None:
    await seed(reputation)
    analyst = reputation.as_role(TENANT, Role.ANALYST)
    await reputation.stub.GetMeasures(measures(), metadata=analyst)
    request = rpc.CorrectSentimentRequest(
        name=f"{LUMIERE}/mentions/m1/sentiment", corrected_label=pb.SENTIMENT_LABEL_POSITIVE
    )
    await refused(
        reputation.stub.CorrectSentiment(request, metadata=analyst),
        grpc.StatusCode.PERMISSION_DENIED,
        "ROLE_REQUIRED",
    )


async def test_another_tenant_sees_nothing_of_this_one(reputation: "Reputation") -> None:
    await seed(reputation)
    stub, other = reputation.stub, reputation.admin(OTHER)
    await refused(
        stub.GetMeasures(measures(), metadata=other), grpc.StatusCode.NOT_FOUND, "BRAND_NOT_FOUND"
    )
    name = f"{LUMIERE}/mentions/m1/sentiment"
    await refused(
        stub.GetMentionSentiment(rpc.GetMentionSentimentRequest(name=name), metadata=other),
        grpc.StatusCode.NOT_FOUND,
        "SENTIMENT_NOT_FOUND",
    )
    own = await stub.GetMeasures(measures(brand=f"tenants/{OTHER}/brands/lumiere"), metadata=other)
    assert sum(p.volume for p in own.series[0].points) == 0


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"end_time": ts(NOW - timedelta(hours=5))}, "EMPTY_WINDOW"),
        ({"start_time": ts(datetime(1970, 1, 2, tzinfo=UTC))}, "WINDOW_TOO_OLD"),
        ({"end_time": ts(NOW + timedelta(days=400))}, "WINDOW_IN_FUTURE"),
        (
            {"start_time": ts(NOW - timedelta(days=30)), "granularity": pb.GRANULARITY_MINUTE},
            "RANGE_TOO_LARGE",
        ),
        ({"granularity": pb.GRANULARITY_UNSPECIFIED}, "GRANULARITY_REQUIRED"),
        ({"time_zone": "Mars/Olympus"}, "UNKNOWN_TIME_ZONE"),
        ({"brand": "brands/lumiere"}, "INVALID_ARGUMENT"),
    ],
)
async def test_absurd_measure_requests_are_refused_with_their_reason(
    reputation: "Reputation", changes: dict[str, object], reason: str
) -> None:
    call = reputation.stub.GetMeasures(measures(**changes), metadata=reputation.admin(TENANT))
    await refused(call, grpc.StatusCode.INVALID_ARGUMENT, reason)


async def test_a_missing_window_and_a_missing_label_are_refused(reputation: "Reputation") -> None:
    stub, auth = reputation.stub, reputation.admin(TENANT)
    await refused(
        stub.GetShareOfVoice(rpc.GetShareOfVoiceRequest(brand=LUMIERE), metadata=auth),
        grpc.StatusCode.INVALID_ARGUMENT,
        "WINDOW_REQUIRED",
    )
    request = rpc.CorrectSentimentRequest(name=f"{LUMIERE}/mentions/m1/sentiment")
    await refused(
        stub.CorrectSentiment(request, metadata=auth),
        grpc.StatusCode.INVALID_ARGUMENT,
        "LABEL_REQUIRED",
    )
