"""Two Vigie data regions on one machine for the data-region proof and its benchmark.

Each region has its own real `nats-server` (JetStream domain = the region) joined to a hub as a
leaf node with the production settings (vigie_runtime.regions), its own reputation database and
its own reputation service (`serving(build(settings))`, API and worker). The listener's part is
played by publishing `mention.captured` on the region's server exactly as the listener's outbox
does, and the directory's by `brand.created`.
"""

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import nats
from google.protobuf.timestamp_pb2 import Timestamp
from nats.aio.client import Client
from nats.aio.msg import Msg
from nats.js import JetStreamContext
from vigie.directory.v1 import events_pb2 as directory_events
from vigie.directory.v1 import resources_pb2 as directory
from vigie.listener.v1 import events_pb2 as listener_events
from vigie.listener.v1 import resources_pb2 as listener
from vigie.partnerships.v1 import events_pb2 as partnerships_events
from vigie.partnerships.v1 import resources_pb2 as partnerships
from vigie.reputation.v1 import reputation_pb2_grpc
from vigie_directory.app.events import BRAND_CREATED
from vigie_reputation.app.events import CAMPAIGN_RESULTS_UPDATED, MENTION_CAPTURED
from vigie_reputation.bootstrap import build
from vigie_reputation.config import Settings
from vigie_runtime.events import cloudevent_headers
from vigie_runtime.grpc_client import open_channel
from vigie_runtime.nats_connection import ensure_stream
from vigie_runtime.regions import GroupSettings
from vigie_runtime.settings import PlatformSettings
from vigie_runtime.testing.databases import temporary_database
from vigie_runtime.testing.regions import Regions, running_regions
from vigie_runtime.testing.services import serving
from vigie_runtime.testing.tokens import TestKeys

TENANT = "t_globex"
REGIONS = ["eu", "us"]
# Each region's subsidiary and brand of the one group.
SUBSIDIARY = {"eu": "france", "us": "usa"}
BRAND = {"eu": "lumiere-fr", "us": "lumiere-us"}


@dataclass
class Region:
    name: str
    database_url: str
    nats: Client
    js: JetStreamContext
    stub: Any
    keys: TestKeys
    sent: int = 0

    def admin(self, tenant: str = TENANT) -> Any:
        return self.keys.admin(tenant)

    async def announce_brand(self) -> None:
        """The region's directory announces the group's brand of its subsidiary."""
        stamp = Timestamp()
        stamp.FromDatetime(datetime.now(UTC))
        brand = directory.Brand(
            name=f"tenants/{TENANT}/brands/{BRAND[self.name]}",
            subsidiary=f"tenants/{TENANT}/subsidiaries/{SUBSIDIARY[self.name]}",
            display_name=BRAND[self.name],
            kind=directory.BRAND_KIND_OWN,
            update_time=stamp,
        )
        headers = cloudevent_headers(
            f"brand-{self.name}", BRAND_CREATED.ce_type, "directory", TENANT, datetime.now(UTC)
        )
        message = directory_events.BrandCreated(brand=brand)
        await self.js.publish(
            BRAND_CREATED.subject(TENANT), message.SerializeToString(), headers=headers
        )

    async def capture(self, mention_id: str, text: str, author: str, published: datetime) -> None:
        """A mention captured in this region, as the listener's outbox publishes it."""
        stamp = Timestamp()
        stamp.FromDatetime(published)
        brand = f"tenants/{TENANT}/brands/{BRAND[self.name]}"
        mention = listener.Mention(
            name=f"{brand}/mentions/{mention_id}",
            brand=brand,
            source=f"tenants/{TENANT}/sources/partner",
            text=text,
            language="en",
            author=listener.MentionAuthor(handle=author, followers_count=120),
            publish_time=stamp,
            capture_time=stamp,
            country="US" if self.name == "us" else "FR",
        )
        captured = listener_events.MentionCaptured(
            mention=mention,
            brand=brand,
            subsidiary=f"tenants/{TENANT}/subsidiaries/{SUBSIDIARY[self.name]}",
        )
        event_id = f"ev-{self.name}-{mention_id}"
        headers = cloudevent_headers(
            event_id, MENTION_CAPTURED.ce_type, "listener", TENANT, datetime.now(UTC)
        )
        await self.js.publish(
            MENTION_CAPTURED.subject(TENANT), captured.SerializeToString(), headers=headers
        )
        self.sent += 1

    async def campaign_results(self, campaign_id: str, creator: str, mentions: int) -> None:
        """A campaign of this region's brand got results, as the partnerships' outbox says."""
        stamp = Timestamp()
        stamp.FromDatetime(datetime.now(UTC))
        brand = f"tenants/{TENANT}/brands/{BRAND[self.name]}"
        updated = partnerships_events.CampaignResultsUpdated(
            results=partnerships.CampaignResults(
                name=f"tenants/{TENANT}/campaigns/{campaign_id}/results",
                mentions=mentions,
                contracts=[
                    partnerships.ContractResults(
                        contract=f"tenants/{TENANT}/contracts/k-{campaign_id}",
                        creator=f"tenants/{TENANT}/creators/{creator}",
                        mentions=mentions,
                    )
                ],
                compute_time=stamp,
            ),
            campaign=f"tenants/{TENANT}/campaigns/{campaign_id}",
            campaign_display_name=f"launch {campaign_id}",
            brand=brand,
            subsidiary=f"tenants/{TENANT}/subsidiaries/{SUBSIDIARY[self.name]}",
            brands=[brand],
        )
        headers = cloudevent_headers(
            f"results-{campaign_id}",
            CAMPAIGN_RESULTS_UPDATED.ce_type,
            "partnerships",
            TENANT,
            datetime.now(UTC),
        )
        await self.js.publish(
            CAMPAIGN_RESULTS_UPDATED.subject(TENANT), updated.SerializeToString(), headers=headers
        )


@dataclass
class Tap:
    """Every message a region's NATS server carries (a core subscription to `>`)."""

    messages: list[Msg] = field(default_factory=list)

    async def keep(self, message: Msg) -> None:
        self.messages.append(message)


@dataclass
class World:
    regions: dict[str, Region]
    nats: Regions
    tap: Tap


def settings_of(region: str, database_url: str, folder: Path, nats_url: str) -> Settings:
    return Settings(
        database_url=database_url,
        grpc_address="127.0.0.1:0",
        sentiment_model="fast",
        # Tests feed two hours of history, so the detector may open a crisis after them.
        crisis_warmup_buckets=24,
        crisis_clock_seconds=3600.0,
        platform=PlatformSettings(
            jwks_file=folder / "jwks.json",
            nats_url=nats_url,
            environment="test",
            data_region=region,
        ),
        group=GroupSettings(regions=",".join(REGIONS)),
    )


@asynccontextmanager
async def running_world(folder: Path, tapped: str = "eu") -> AsyncIterator[World]:
    async with AsyncExitStack() as stack:
        servers = stack.enter_context(running_regions(folder / "nats", REGIONS))
        tap = Tap()
        regions = {}
        for name in REGIONS:
            connection = await nats.connect(servers.url(name))
            stack.push_async_callback(connection.close)
            if name == tapped:
                # From before any service starts: everything the region's server ever carries.
                await connection.subscribe(">", cb=tap.keep)
            js = connection.jetstream()
            for producer in ("directory", "listener", "publisher", "partnerships"):
                await ensure_stream(js, producer)
            (folder / name).mkdir(parents=True, exist_ok=True)
            url = await stack.enter_async_context(
                temporary_database(folder / name, f"reputation_{name}")
            )
            settings = settings_of(name, url, folder / name, servers.url(name))
            host = await stack.enter_async_context(serving(build(settings), mode="all"))
            channel = await stack.enter_async_context(open_channel(f"127.0.0.1:{host.grpc_port}"))
            stub = reputation_pb2_grpc.ReputationServiceStub(channel)
            regions[name] = Region(
                name, url, connection, js, stub, TestKeys(settings.platform.jwks_file)
            )
        for region in regions.values():
            await region.announce_brand()
        yield World(regions, servers, tap)
