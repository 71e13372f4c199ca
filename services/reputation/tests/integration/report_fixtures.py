"""The reputation served with both its gRPC services, and the facts a report needs published as
their producers do: the directory's subsidiary and brands, the partnerships' campaign results."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from google.protobuf.message import Message
from google.protobuf.timestamp_pb2 import Timestamp
from nats.js import JetStreamContext
from vigie.directory.v1 import events_pb2 as directory_events
from vigie.directory.v1 import resources_pb2 as directory
from vigie.partnerships.v1 import events_pb2 as partnerships_events
from vigie.partnerships.v1 import resources_pb2 as partnerships
from vigie.reputation.v1 import reports_pb2_grpc, reputation_pb2_grpc
from vigie_directory_replica.subsidiaries import SUBSIDIARY_CREATED
from vigie_reputation.app.events import CAMPAIGN_RESULTS_UPDATED
from vigie_reputation.bootstrap import build
from vigie_reputation.config import Settings
from vigie_runtime.events import EventType, cloudevent_headers
from vigie_runtime.grpc_client import open_channel
from vigie_runtime.nats_connection import ensure_stream
from vigie_runtime.testing.services import serving


def stamp(moment: datetime) -> Timestamp:
    result = Timestamp()
    result.FromDatetime(moment)
    return result


async def publish(
    js: JetStreamContext, event_type: EventType[Any], tenant: str, message: Message, event_id: str
) -> None:
    headers = cloudevent_headers(
        event_id, event_type.ce_type, event_type.producer, tenant, datetime.now(UTC)
    )
    await js.publish(event_type.subject(tenant), message.SerializeToString(), headers=headers)


async def announce_subsidiary(
    js: JetStreamContext, tenant: str, subsidiary_id: str, locale: str, zone: str
) -> None:
    await ensure_stream(js, "directory")
    subsidiary = directory.Subsidiary(
        name=f"tenants/{tenant}/subsidiaries/{subsidiary_id}",
        display_name=subsidiary_id.title(),
        country="FR",
        locale=locale,
        time_zone=zone,
        data_region="eu",
        update_time=stamp(datetime.now(UTC)),
    )
    message = directory_events.SubsidiaryChanged(subsidiary=subsidiary)
    await publish(js, SUBSIDIARY_CREATED, tenant, message, f"sub-{tenant}-{subsidiary_id}")


async def announce_campaign(
    js: JetStreamContext, tenant: str, brand_id: str, computed: datetime, spend: str, event_id: str
) -> None:
    await ensure_stream(js, "partnerships")
    results = partnerships.CampaignResults(
        name=f"tenants/{tenant}/campaigns/c1/results",
        mentions=12,
        reach=48_000,
        engagements=1_200,
        spend=partnerships.Money(amount=spend, currency_code="EUR"),
        revenue=partnerships.Money(amount="1000.00", currency_code="EUR"),
        roi="0.2500",
        compute_time=stamp(computed),
    )
    brand = f"tenants/{tenant}/brands/{brand_id}"
    message = partnerships_events.CampaignResultsUpdated(
        results=results,
        campaign=f"tenants/{tenant}/campaigns/c1",
        campaign_display_name="Autumn roast",
        brand=brand,
        brands=[brand],
    )
    await publish(js, CAMPAIGN_RESULTS_UPDATED, tenant, message, event_id)


@dataclass
class Served:
    reports: reports_pb2_grpc.ReportServiceStub
    reputation: reputation_pb2_grpc.ReputationServiceStub


@asynccontextmanager
async def served(settings: Settings) -> AsyncIterator[Served]:
    async with (
        serving(build(settings), mode="all") as host,
        open_channel(f"127.0.0.1:{host.grpc_port}") as channel,
    ):
        yield Served(
            reports_pb2_grpc.ReportServiceStub(channel),
            reputation_pb2_grpc.ReputationServiceStub(channel),
        )
