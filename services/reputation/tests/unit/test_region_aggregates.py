"""A crisis or a campaign leaves its data region with its figures and without its people."""

from google.protobuf.timestamp_pb2 import Timestamp
from vigie.partnerships.v1 import events_pb2 as partnerships_events
from vigie.partnerships.v1 import resources_pb2 as partnerships
from vigie.reputation.v1 import resources_pb2 as pb
from vigie_reputation.domain.aggregates import campaign_without_people, crisis_without_people


def test_a_crisis_leaves_its_region_without_mentions_authors_sources_or_summary() -> None:
    since = Timestamp(seconds=1_800_000_000)
    crisis = pb.Crisis(
        name="tenants/t_a/brands/b/crises/c1",
        brand="tenants/t_a/brands/b",
        status=pb.CRISIS_STATUS_OPENED,
        severity=pb.CRISIS_SEVERITY_HIGH,
        explanation=pb.CrisisExplanation(
            signal="negative_volume",
            baseline=1.5,
            observed=42.0,
            since_time=since,
            top_mentions=[pb.ContributingMention(mention="tenants/t_a/brands/b/mentions/m1")],
            top_authors=[pb.CrisisContributor(value="@someone.example", mention_count=9)],
            top_languages=[pb.CrisisContributor(value="en", mention_count=9)],
            top_sources=[pb.CrisisContributor(value="tenants/t_a/sources/s", mention_count=9)],
            summary="@someone.example posted 9 times",
        ),
    )
    kept = crisis_without_people(crisis)
    assert (kept.name, kept.brand, kept.status, kept.severity) == (
        crisis.name, crisis.brand, crisis.status, crisis.severity,
    )  # fmt: skip
    assert kept.explanation == pb.CrisisExplanation(
        signal="negative_volume", baseline=1.5, observed=42.0, since_time=since
    )
    assert crisis.explanation.top_authors  # the region's own copy is untouched


def test_a_campaign_leaves_its_region_with_its_totals_and_without_its_creators() -> None:
    updated = partnerships_events.CampaignResultsUpdated(
        campaign="tenants/t_a/campaigns/c1",
        results=partnerships.CampaignResults(
            mentions=12,
            reach=3400,
            contracts=[partnerships.ContractResults(creator="tenants/t_a/creators/ann")],
        ),
    )
    kept = campaign_without_people(updated)
    assert (kept.campaign, kept.results.mentions, kept.results.reach) == (
        "tenants/t_a/campaigns/c1", 12, 3400,
    )  # fmt: skip
    assert not kept.results.contracts and updated.results.contracts
