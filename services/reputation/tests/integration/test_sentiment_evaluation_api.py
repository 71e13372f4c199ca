"""The model judged against people's corrections, as a client reads it over gRPC after real
`mention.captured` events and real corrections (SQLite or PostgreSQL)."""

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import grpc
import pytest
from google.protobuf.timestamp_pb2 import Timestamp
from vigie.reputation.v1 import reputation_pb2 as rpc
from vigie.reputation.v1 import resources_pb2 as pb
from vigie_runtime.principal import Role
from vigie_runtime.testing.waiting import eventually

if TYPE_CHECKING:
    from conftest import Reputation

TENANT, OTHER = "t_acme", "t_other"
LUMIERE = f"tenants/{TENANT}/brands/lumiere"
NOW = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
POSITIVE, NEGATIVE = pb.SENTIMENT_LABEL_POSITIVE, pb.SENTIMENT_LABEL_NEGATIVE


def ts(moment: datetime) -> Timestamp:
    stamp = Timestamp()
    stamp.FromDatetime(moment)
    return stamp


async def seed(reputation: "Reputation") -> None:
    """lumiere: m1 (en) the model finds negative, m3 (en) positive, m2 (fr); a competitor's."""
    capture, hour_ago = reputation.listener.capture, NOW - timedelta(hours=1)
    await reputation.brand(TENANT, "lumiere", ["rival"])
    await capture(TENANT, "m1", "awful, I hate it, terrible", published=hour_ago)
    await capture(TENANT, "m2", "pire service, horrible", published=hour_ago, language="fr")
    await capture(TENANT, "m3", "I love it, wonderful, great", published=hour_ago)
    await capture(TENANT, "r1", "love it", brand="rival", published=hour_ago)
    await eventually(lambda: reputation.processed(5))


def evaluation(brand: str = LUMIERE, hours: float = 3) -> rpc.GetSentimentEvaluationRequest:
    return rpc.GetSentimentEvaluationRequest(
        brand=brand, start_time=ts(NOW - timedelta(hours=hours)), end_time=ts(NOW)
    )


async def correct(
    reputation: "Reputation", mention: str, label: pb.SentimentLabel.ValueType
) -> None:
    request = rpc.CorrectSentimentRequest(
        name=f"{LUMIERE}/mentions/{mention}/sentiment", corrected_label=label
    )
    await reputation.stub.CorrectSentiment(request, metadata=reputation.admin(TENANT))


def cells(agreement: pb.SentimentAgreement) -> dict[tuple[int, int], int]:
    return {(c.model_label, c.corrected_label): c.count for c in agreement.confusion if c.count}


async def test_the_model_is_judged_only_on_corrected_mentions(reputation: "Reputation") -> None:
    # The model says m1 (en) negative and m3 (en) positive; m2 (fr) stays uncorrected.
    await seed(reputation)
    await correct(reputation, "m1", POSITIVE)  # the model was wrong
    await correct(reputation, "m3", POSITIVE)  # the model was right; m2 is left uncorrected
    answer = await reputation.stub.GetSentimentEvaluation(
        evaluation(), metadata=reputation.as_role(TENANT, Role.ANALYST)
    )
    overall = answer.overall
    assert (overall.scored_count, overall.corrected_count, overall.agreed_count) == (3, 2, 1)
    assert overall.accuracy == pytest.approx(0.5)
    # F1: negative 0 (predicted once, never true), neutral 0, positive 2*1/(1+2).
    assert overall.macro_f1 == pytest.approx(2 / 9)
    assert len(overall.confusion) == 9
    assert cells(overall) == {(NEGATIVE, POSITIVE): 1, (POSITIVE, POSITIVE): 1}
    sentiment = await reputation.stub.GetMentionSentiment(
        rpc.GetMentionSentimentRequest(name=f"{LUMIERE}/mentions/m1/sentiment"),
        metadata=reputation.admin(TENANT),
    )
    assert list(overall.model_versions) == [sentiment.model_version]
    en, fr = answer.languages
    assert (en.language, en.scored_count, en.corrected_count, en.accuracy) == ("en", 2, 2, 0.5)
    assert (fr.language, fr.scored_count, fr.corrected_count, fr.accuracy) == ("fr", 1, 0, 0.0)
    group = await reputation.stub.GetSentimentEvaluation(
        evaluation(brand=f"tenants/{TENANT}/brands/-"), metadata=reputation.admin(TENANT)
    )
    assert group.overall == overall  # the competitor's mention is not the group's own


async def test_a_window_without_the_mentions_counts_nothing(reputation: "Reputation") -> None:
    await seed(reputation)
    request = rpc.GetSentimentEvaluationRequest(
        brand=LUMIERE, start_time=ts(NOW - timedelta(minutes=30)), end_time=ts(NOW)
    )
    answer = await reputation.stub.GetSentimentEvaluation(
        request, metadata=reputation.admin(TENANT)
    )
    assert (answer.overall.scored_count, answer.overall.accuracy, len(answer.languages)) == (
        0,
        0.0,
        0,
    )


async def test_another_tenant_and_unknown_brands_are_refused(
    reputation: "Reputation", refused: Any
) -> None:
    await seed(reputation)
    stub = reputation.stub
    await refused(
        stub.GetSentimentEvaluation(evaluation(), metadata=reputation.admin(OTHER)),
        grpc.StatusCode.NOT_FOUND,
        "BRAND_NOT_FOUND",
    )
    await refused(
        stub.GetSentimentEvaluation(
            evaluation(brand=f"tenants/{TENANT}/brands/nobody"), metadata=reputation.admin(TENANT)
        ),
        grpc.StatusCode.NOT_FOUND,
        "BRAND_NOT_FOUND",
    )


async def test_absurd_windows_are_refused_with_their_reason(
    reputation: "Reputation", refused: Any
) -> None:
    stub, auth = reputation.stub, reputation.admin(TENANT)
    await refused(
        stub.GetSentimentEvaluation(evaluation(hours=24 * 400), metadata=auth),
        grpc.StatusCode.INVALID_ARGUMENT,
        "RANGE_TOO_LARGE",
    )
    await refused(
        stub.GetSentimentEvaluation(
            rpc.GetSentimentEvaluationRequest(brand=LUMIERE), metadata=auth
        ),
        grpc.StatusCode.INVALID_ARGUMENT,
        "WINDOW_REQUIRED",
    )
    await refused(
        stub.GetSentimentEvaluation(evaluation(hours=-1), metadata=auth),
        grpc.StatusCode.INVALID_ARGUMENT,
        "EMPTY_WINDOW",
    )


async def test_readers_of_the_brand_may_ask_others_may_not(
    reputation: "Reputation", refused: Any
) -> None:
    await seed(reputation)  # lumiere belongs to the subsidiary "france"
    stub, france = reputation.stub, f"tenants/{TENANT}/subsidiaries/france"
    analyst = reputation.as_role(TENANT, Role.ANALYST, france)
    assert (await stub.GetSentimentEvaluation(evaluation(), metadata=analyst)).overall.scored_count
    elsewhere = reputation.as_role(TENANT, Role.ANALYST, f"tenants/{TENANT}/subsidiaries/spain")
    await refused(
        stub.GetSentimentEvaluation(evaluation(), metadata=elsewhere),
        grpc.StatusCode.PERMISSION_DENIED,
        "ROLE_REQUIRED",
    )
    await refused(
        stub.GetSentimentEvaluation(
            evaluation(), metadata=reputation.as_role(TENANT, Role.PARTNER)
        ),
        grpc.StatusCode.PERMISSION_DENIED,
        "ROLE_REQUIRED",
    )
