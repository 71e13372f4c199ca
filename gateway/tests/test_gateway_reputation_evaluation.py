"""The sentiment evaluation through GraphQL, as a front end uses it: scored mentions in the
reputation's store, two corrected through `correctSentiment`, the figures read back, a huge
window refused with its code, another tenant refused (SQLite or PostgreSQL)."""

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession
from vigie_directory.testing import ADMIN_PASSWORD
from vigie_gateway.testing import Front, graphql_front, refusal
from vigie_reputation.adapters.orm import KnownBrandRow, MentionSentimentRow
from vigie_runtime.database import create_engine

EVALUATION = """query($b: ID!, $s: DateTime!, $e: DateTime!) {
  sentimentEvaluation(brandId: $b, start: $s, end: $e) {
    overall { scored corrected agreed accuracy macroF1 modelVersions
              confusion { modelLabel correctedLabel count } }
    languages { language scored corrected accuracy } } }"""
CORRECT = """mutation($id: ID!, $l: SentimentLabel!) { correctSentiment(input: {id: $id, label: $l}) { mentionSentiment {
  correctedLabel } errors { code reason message field } } }"""
NOW = datetime.now(UTC).replace(microsecond=0)


def mention(tenant_id: str, mention_id: str, language: str, label: str) -> MentionSentimentRow:
    hour_ago = NOW - timedelta(hours=1)
    return MentionSentimentRow(
        tenant=tenant_id, brand_id="lumiere", mention_id=mention_id, subsidiary_id="",
        language=language, country="FR", source="bluesky", author_handle="@a", followers=10,
        text="...", publish_time=hour_ago, label=label, confidence=0.9,
        model_version="m-2026-11", score_time=hour_ago,
    )  # fmt: skip


async def scored(url: str, tenant_id: str) -> None:
    """What scoring leaves behind: the brand known, three mentions labelled by the model."""
    brand = KnownBrandRow(
        tenant=tenant_id, id="lumiere", subsidiary_id="", display_name="Lumiere", kind="own",
        aliases=[], competitors=[], deleted=False, updated_at=NOW,
    )  # fmt: skip
    engine = create_engine(url)
    async with AsyncSession(engine) as session:
        session.add(brand)
        session.add_all(
            [
                mention(tenant_id, "m1", "en", "negative"),
                mention(tenant_id, "m2", "fr", "neutral"),
                mention(tenant_id, "m3", "en", "positive"),
            ]
        )
        await session.commit()
    await engine.dispose()


@pytest.fixture
async def front(behind_gateway: Any) -> AsyncIterator[tuple[Front, str]]:
    """A front end logged in as the group admin of a tenant with three scored mentions."""
    platform = await behind_gateway("reputation", mode="api")
    tenant = platform.tenants["Acme Group"]
    await scored(platform.settings["reputation"].database_url, tenant.removeprefix("tenants/"))
    async with graphql_front(platform.app) as front:
        await front.log_in("admin@acme.test", ADMIN_PASSWORD)
        yield front, tenant


def code_of(result: dict[str, Any]) -> str:
    return refusal(result)  # type: ignore[arg-type]


async def test_the_evaluation_follows_corrections_and_refuses_bad_asks(
    front: tuple[Front, str],
) -> None:
    gateway, tenant = front
    brand = f"{tenant}/brands/lumiere"
    window = {"s": (NOW - timedelta(days=1)).isoformat(), "e": NOW.isoformat()}
    for mention in ("m1", "m3"):  # m1 the model got wrong, m3 right
        fixed = await gateway.ask(CORRECT, id=f"{brand}/mentions/{mention}/sentiment", l="POSITIVE")
        assert (
            fixed["data"]["correctSentiment"]["mentionSentiment"]["correctedLabel"] == "POSITIVE"
        ), fixed
    answer = await gateway.ask(EVALUATION, b=brand, **window)
    assert answer.get("data"), answer
    figures = answer["data"]["sentimentEvaluation"]
    overall = figures["overall"]
    assert (overall["scored"], overall["corrected"], overall["agreed"]) == (3, 2, 1)
    assert overall["accuracy"] == pytest.approx(0.5)
    assert overall["macroF1"] == pytest.approx(2 / 9)  # positive 2/3, the others 0
    assert overall["modelVersions"] == ["m-2026-11"]
    counted = {(c["modelLabel"], c["correctedLabel"]): c["count"] for c in overall["confusion"]}
    assert len(counted) == 9
    assert {k: v for k, v in counted.items() if v} == {
        ("NEGATIVE", "POSITIVE"): 1,
        ("POSITIVE", "POSITIVE"): 1,
    }
    assert figures["languages"] == [
        {"language": "en", "scored": 2, "corrected": 2, "accuracy": 0.5},
        {"language": "fr", "scored": 1, "corrected": 0, "accuracy": 0.0},
    ]
    huge = {"s": (NOW - timedelta(days=400)).isoformat(), "e": NOW.isoformat()}
    assert code_of(await gateway.ask(EVALUATION, b=brand, **huge)) == "RANGE_TOO_LARGE"
    await gateway.log_in("admin@rival.test", ADMIN_PASSWORD)
    assert code_of(await gateway.ask(EVALUATION, b=brand, **window)) == "BRAND_NOT_FOUND"
