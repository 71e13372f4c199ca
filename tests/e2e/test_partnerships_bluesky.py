"""The partnerships end to end with the real local Bluesky PDS: a contracted creator posts the
campaign hashtag on Bluesky, the listener's Bluesky connector captures it as a mention of the
brand, the partnerships service fulfils the deliverable (`deliverable.fulfilled` on JetStream)
and the front end sees it through GraphQL, with the mention it came from."""

import asyncio
import secrets
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import nats
import pytest
from atproto import Client
from vigie.listener.v1 import listener_pb2 as listener_rpc
from vigie.listener.v1 import listener_pb2_grpc
from vigie.listener.v1 import resources_pb2 as listener
from vigie.partnerships.v1 import events_pb2
from vigie_directory.bootstrap import build as build_directory
from vigie_directory.testing import ADMIN_PASSWORD, bootstrap_tenant, directory_settings
from vigie_gateway.app import create_app
from vigie_gateway.config import Settings as GatewaySettings
from vigie_gateway.testing import Front, graphql_front, succeeded
from vigie_listener.bootstrap import build as build_listener
from vigie_listener.config import Settings as ListenerSettings
from vigie_partnerships.app.events import DELIVERABLE_FULFILLED
from vigie_partnerships.bootstrap import build as build_partnerships
from vigie_partnerships.config import Settings as PartnershipsSettings
from vigie_partnerships.testing import (
    contract_status,
    create_campaign,
    import_creator,
    signed_contract,
    wait_until_completed,
)
from vigie_runtime.events import stream_name
from vigie_runtime.grpc_client import bearer, open_channel
from vigie_runtime.testing.bluesky_pds import BlueskyPds
from vigie_runtime.testing.databases import temporary_database
from vigie_runtime.testing.services import serving
from vigie_runtime.testing.waiting import eventually

# The first run may install the PDS (minutes), inside this test's time budget.
pytestmark = [pytest.mark.e2e, pytest.mark.node, pytest.mark.timeout(1200)]


@dataclass
class Platform:
    front: Front
    tenant: str
    listener: str  # gRPC addresses
    partnerships: str


@pytest.fixture
async def platform(tmp_path: Path, database_url: str, nats_url: str) -> AsyncIterator[Platform]:
    """The directory, the listener and the partnerships, each with its database, behind the
    gateway; the front end logged in as the tenant's admin."""
    directory = directory_settings(tmp_path, database_url, nats_url)
    async with (
        temporary_database(tmp_path, "listener") as listener_url,
        temporary_database(tmp_path, "partnerships") as partnerships_url,
        serving(build_directory(directory), mode="all") as directory_host,
    ):
        listening = ListenerSettings(
            database_url=listener_url, grpc_address="127.0.0.1:0", platform=directory.platform
        )
        partnering = PartnershipsSettings(
            database_url=partnerships_url, grpc_address="127.0.0.1:0", platform=directory.platform
        )
        async with (
            serving(build_listener(listening), mode="all") as listener_host,
            serving(build_partnerships(partnering), mode="all") as partnerships_host,
        ):
            tenant = await bootstrap_tenant(directory, "Acme Group", "admin@acme.test")
            gateway = GatewaySettings(
                directory_target=f"127.0.0.1:{directory_host.grpc_port}",
                listener_target=f"127.0.0.1:{listener_host.grpc_port}",
                partnerships_target=f"127.0.0.1:{partnerships_host.grpc_port}",
                platform=directory.platform,
            )
            async with graphql_front(create_app(gateway)) as front:
                await front.log_in("admin@acme.test", ADMIN_PASSWORD)
                yield Platform(
                    front,
                    tenant,
                    f"127.0.0.1:{listener_host.grpc_port}",
                    f"127.0.0.1:{partnerships_host.grpc_port}",
                )


class BlueskyCreator:
    """An account on the PDS (no AppView: posts name their author's DID themselves)."""

    def __init__(self, pds: BlueskyPds) -> None:
        self.did, self.handle, password = pds.create_account(f"crea{secrets.token_hex(4)}")
        self.client = Client(base_url=pds.url)
        self.client.login(self.handle, password, fetch_bsky_profile=False)

    async def post(self, text: str) -> str:
        sent = await asyncio.to_thread(self.client.send_post, text, profile_identify=self.did)
        return str(sent.uri)


SUBSIDIARY = """mutation { createSubsidiary(input: {displayName: "France", country: "FR",
  locale: "fr-FR", timeZone: "Europe/Paris"}) { subsidiary { id } errors { code reason message field } } }"""
BRAND = 'mutation($s: ID!) { createBrand(input: {subsidiaryId: $s, displayName: "Lumière"}) { brand { id } errors { code reason message field } } }'
LISTEN = """mutation($b: ID!, $q: String!) { createListeningQuery(input: {brandId: $b,
  displayName: "Campaign", query: $q}) { listeningQuery { id } errors { code reason message field } } }"""
CREATORS = 'query { searchCreators(filter: {topics: ["coffee"]}, first: 10) { nodes { id } } }'
MENTIONS = "query { mentions(first: 10) { nodes { id text author { handle } } } }"


async def test_a_creators_bluesky_post_fulfils_the_deliverable_seen_in_graphql(
    platform: Platform, bluesky_pds: BlueskyPds, nats_url: str
) -> None:
    front, tenant = platform.front, platform.tenant
    hashtag = f"AutumnRoast{secrets.token_hex(3)}"  # the PDS is shared by the whole session
    brand = await _brand_listened_for(front, f"#{hashtag}")
    creator = BlueskyCreator(bluesky_pds)
    await import_creator(platform.partnerships, front.token, tenant, creator.handle, creator.did)
    creator_id = (await front.ask(CREATORS))["data"]["searchCreators"]["nodes"][0]["id"]
    campaign_id = await create_campaign(front, brand)
    contract_id = await signed_contract(front, campaign_id, creator_id, hashtag)
    await _listen_to_the_firehose(platform, bluesky_pds, creator)

    await creator.post(f"Our #{hashtag} is out, try it #ad")

    await wait_until_completed(front, contract_id, seconds=60)
    deliverable = (await contract_status(front, contract_id))["deliverables"][0]
    mentions = (await front.ask(MENTIONS))["data"]["mentions"]["nodes"]
    assert [m["author"]["handle"] for m in mentions] == [f"@{creator.handle}"]
    assert deliverable["status"] == "FULFILLED"
    assert deliverable["fulfilledCount"] == 1
    assert deliverable["matchedMentionIds"] == [mentions[0]["id"]]
    fulfilment = await _last_fulfilment(nats_url, tenant)
    assert fulfilment.contract.endswith(f"/contracts/{contract_id.rsplit('/', 1)[-1]}")
    assert fulfilment.creator.endswith(creator_id.rsplit("/", 1)[-1])


async def _brand_listened_for(front: Front, query: str) -> str:
    """A brand made in the directory, and a listening query for it once the listener knows it
    (the brand reaches the listener through `brand.created`)."""
    subsidiary = (await front.ask(SUBSIDIARY))["data"]["createSubsidiary"]["subsidiary"]["id"]
    brand = str((await front.ask(BRAND, s=subsidiary))["data"]["createBrand"]["brand"]["id"])

    async def listened() -> bool:
        return succeeded(await front.ask(LISTEN, b=brand, q=query))

    await eventually(listened)
    return brand


async def _listen_to_the_firehose(
    platform: Platform, pds: BlueskyPds, creator: BlueskyCreator
) -> None:
    """A Bluesky source on the PDS's firehose. A new source reads from now on, so posts (not
    matching the campaign) go out until the connector has read one: then it is live."""
    async with open_channel(platform.listener) as channel:
        stub = listener_pb2_grpc.ListenerServiceStub(channel)
        metadata = bearer(platform.front.token)
        source = listener.Source(
            display_name="Local PDS",
            bluesky=listener.BlueskySourceConfig(relay_url=pds.firehose_url),
            enabled=True,
        )
        made = await stub.CreateSource(
            listener_rpc.CreateSourceRequest(parent=platform.tenant, source=source),
            metadata=metadata,
        )

        async def live() -> bool:
            await creator.post("warming up the coffee machine")
            await asyncio.sleep(0.5)  # lets the post travel before asking; not an assertion
            read = await stub.GetSource(
                listener_rpc.GetSourceRequest(name=made.name), metadata=metadata
            )
            return bool(read.health.HasField("check_time"))

        await eventually(live, seconds=60)


async def _last_fulfilment(nats_url: str, tenant: str) -> events_pb2.DeliverableFulfilled:
    connection = await nats.connect(nats_url)
    try:
        subject = DELIVERABLE_FULFILLED.subject(tenant.removeprefix("tenants/"))
        message = await connection.jetstream().get_last_msg(stream_name("partnerships"), subject)
    finally:
        await connection.close()
    fulfilled = events_pb2.DeliverableFulfilled()
    fulfilled.ParseFromString(message.data or b"")
    return fulfilled
