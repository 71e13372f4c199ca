"""Deliverables as a contract states them: checked, then stored pending."""

from collections.abc import Sequence
from datetime import UTC

from vigie.partnerships.v1 import resources_pb2 as pb
from vigie_runtime.clock import as_utc as utc
from vigie_runtime.errors import InvalidArgument
from vigie_runtime.ids import new_id

from vigie_partnerships.adapters.orm import CampaignRow, ContractRow, DeliverableRow
from vigie_partnerships.app.events import KINDS
from vigie_partnerships.domain.creators import NETWORKS

MAX_DELIVERABLES = 50
MAX_TERMS = 20


def deliverable_rows(
    contract: ContractRow, campaign: CampaignRow, sources: Sequence[pb.Deliverable]
) -> list[DeliverableRow]:
    if not sources or len(sources) > MAX_DELIVERABLES:
        raise InvalidArgument("deliverables", f"1 to {MAX_DELIVERABLES} deliverables")
    return [_row(contract, campaign, s, i) for i, s in enumerate(sources)]


def _row(
    contract: ContractRow, campaign: CampaignRow, source: pb.Deliverable, index: int
) -> DeliverableRow:
    field = f"deliverables[{index}]"
    if source.network not in NETWORKS:
        raise InvalidArgument(f"{field}.network", f"{source.network!r} is not a known network")
    if source.kind not in KINDS:
        raise InvalidArgument(f"{field}.kind", "is required")
    if not 1 <= source.count <= 100:
        raise InvalidArgument(f"{field}.count", "1 to 100 posts")
    if not source.HasField("due_time"):
        raise InvalidArgument(f"{field}.due_time", "is required")
    due = source.due_time.ToDatetime(tzinfo=UTC)
    if due <= utc(campaign.start_at):
        raise InvalidArgument(f"{field}.due_time", "must be after the campaign's start")
    return DeliverableRow(
        id=new_id(),
        tenant=contract.tenant,
        campaign_id=campaign.id,
        contract_id=contract.id,
        network=source.network,
        kind=KINDS[source.kind],
        count=source.count,
        due_at=due,
        hashtags=_terms(source.required_hashtags, f"{field}.required_hashtags", "#"),
        mentions=_terms(source.required_mentions, f"{field}.required_mentions", "@"),
        links=_terms(source.required_links, f"{field}.required_links", ""),
        codes=_terms(source.required_codes, f"{field}.required_codes", ""),
        disclosure=source.disclosure.strip()[:64],
        status="pending",
        fulfilled_count=0,
        matched=[],
        disclosure_missing=False,
    )


def _terms(values: Sequence[str], field: str, prefix: str) -> list[str]:
    cleaned = (
        [v.strip().removeprefix(prefix) for v in values if v.strip()]
        if prefix
        else [v.strip() for v in values if v.strip()]
    )
    if len(cleaned) > MAX_TERMS or any(len(v) > 500 or " " in v for v in cleaned):
        raise InvalidArgument(field, f"at most {MAX_TERMS} terms without spaces")
    return cleaned
