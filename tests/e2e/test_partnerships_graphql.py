"""The partnerships through GraphQL like a front end: a creator imported by a partner is found
by a filtered search with its explained vetting, a campaign and a contract are created and
signed, a negative fee is refused with its reason, and the creator's post arriving as a
`mention.captured` event fulfils the deliverable, visible in GraphQL. (The listener's own
capture from the Bluesky PDS is not part of this test.)"""

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import nats
import pytest
from google.protobuf.timestamp_pb2 import Timestamp
from vigie.listener.v1 import events_pb2 as listener_events
from vigie.listener.v1 import resources_pb2 as listener
from vigie.partnerships.v1 import partnerships_pb2 as rpc
from vigie.partnerships.v1 import partnerships_pb2_grpc
from vigie.partnerships.v1 import resources_pb2 as pb
from vigie_directory.bootstrap import build as build_directory
from vigie_directory.testing import ADMIN_PASSWORD, bootstrap_tenant, directory_settings
from vigie_gateway.app import create_app
from vigie_gateway.config import Settings as GatewaySettings
from vigie_partnerships.bootstrap import build as build_partnerships
from vigie_partnerships.config import Settings as PartnershipsSettings
from vigie_partnerships.entrypoints.nats.mentions import MENTION_CAPTURED
from vigie_runtime.events import cloudevent_headers
from vigie_runtime.grpc_client import bearer, open_channel
from vigie_runtime.nats_connection import ensure_stream
from vigie_runtime.testing.databases import temporary_database
from vigie_runtime.testing.services import serving
from vigie_runtime.testing.waiting import eventually

pytestmark = pytest.mark.e2e


class Front:
    def __init__(self, http: httpx.AsyncClient, url: str) -> None:
        self.http, self.url, self.token = http, url, ""

    async def ask(self, query: str, **variables: Any) -> dict[str, Any]:
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        response = await self.http.post(
            self.url, json={"query": query, "variables": variables}, headers=headers
        )
        assert response.status_code < 500, response.text
        return response.json()  # type: ignore[no-any-return]


async def _uvicorn(app: Any) -> tuple[Any, asyncio.Task[None], int]:
    import uvicorn

    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_config=None))
    task = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.02)
    return server, task, server.servers[0].sockets[0].getsockname()[1]


@pytest.fixture
async def platform(
    tmp_path: Path, database_url: str, nats_url: str
) -> AsyncIterator[tuple[Front, str, str]]:
    """The front, the tenant, and the partnerships' gRPC address."""
    directory = directory_settings(tmp_path, database_url, nats_url)
    async with (
        temporary_database(tmp_path, "partnerships") as partnerships_url,
        serving(build_directory(directory), mode="all") as directory_host,
    ):
        settings = PartnershipsSettings(
            database_url=partnerships_url, grpc_address="127.0.0.1:0", platform=directory.platform
        )
        async with serving(build_partnerships(settings), mode="all") as host:
            tenant = await bootstrap_tenant(directory, "Acme Group", "admin@acme.test")
            gateway = GatewaySettings(
                directory_target=f"127.0.0.1:{directory_host.grpc_port}",
                partnerships_target=f"127.0.0.1:{host.grpc_port}",
                platform=directory.platform,
            )
            server, task, port = await _uvicorn(create_app(gateway))
            async with httpx.AsyncClient(timeout=30) as http:
                front = Front(http, f"http://127.0.0.1:{port}/graphql")
                login = await front.ask(
                    "mutation($e: String!, $p: String!) { login(email: $e, password: $p) "
                    "{ token } }",
                    e="admin@acme.test",
                    p=ADMIN_PASSWORD,
                )
                front.token = login["data"]["login"]["token"]
                yield front, tenant, f"127.0.0.1:{host.grpc_port}"
            server.should_exit = True
            await task


SEARCH = """query($s: CreatorSearch!) { searchCreators(search: $s, first: 10) {
  nodes { id displayName topics } pageInfo { hasNextPage } } }"""
CONTRACT = """query($id: ID!) { contract(id: $id) { status
  deliverables { status fulfilledCount matchedMentionIds } } }"""


async def test_from_search_to_a_fulfilled_deliverable(
    platform: tuple[Front, str, str], nats_url: str
) -> None:
    front, tenant, target = platform
    await _import_alice(front, tenant, target)
    found = await front.ask(SEARCH, s={"topics": ["coffee"], "minFollowers": 10000})
    creator_id = found["data"]["searchCreators"]["nodes"][0]["id"]
    vetting = await front.ask(
        "query($c: ID!) { vetting(creatorId: $c) { engagement { score inputs { name value } } } }",
        c=creator_id,
    )
    assert vetting["data"]["vetting"]["engagement"]["score"] == 50.0
    campaign = await front.ask(
        """mutation($i: CreateCampaignInput!) { createCampaign(input: $i) { id budget { amount } } }""",
        i={
            "displayName": "Autumn roast",
            "brandIds": [f"{tenant}/brands/lumiere"],
            "startTime": "2026-01-01T00:00:00Z",
            "endTime": "2031-01-01T00:00:00Z",
            "budget": {"amount": "5000.00", "currencyCode": "EUR"},
        },
    )
    campaign_id = campaign["data"]["createCampaign"]["id"]
    bad = await front.ask(CREATE_CONTRACT, i=_contract(campaign_id, creator_id, "-10.00"))
    assert bad["errors"][0]["extensions"]["code"] == "NEGATIVE_AMOUNT"
    made = await front.ask(CREATE_CONTRACT, i=_contract(campaign_id, creator_id, "800.00"))
    contract_id = made["data"]["createContract"]["id"]
    signed = await front.ask(
        "mutation($id: ID!) { signContract(id: $id) { status } }", id=contract_id
    )
    assert signed["data"]["signContract"]["status"] == "ACTIVE"
    await _post(nats_url, tenant, "#AutumnRoast is out #ad")

    async def fulfilled() -> bool:
        answer = await front.ask(CONTRACT, id=contract_id)
        return answer["data"]["contract"]["status"] == "COMPLETED"

    await eventually(fulfilled)
    answer = await front.ask(CONTRACT, id=contract_id)
    assert answer["data"]["contract"]["deliverables"][0]["status"] == "FULFILLED"


CREATE_CONTRACT = """mutation($i: CreateContractInput!) { createContract(input: $i) { id } }"""


def _contract(campaign_id: str, creator_id: str, fee: str) -> dict[str, Any]:
    return {
        "campaignId": campaign_id,
        "creatorId": creator_id,
        "fee": {"amount": fee, "currencyCode": "EUR"},
        "deliverables": [
            {
                "network": "bluesky",
                "count": 1,
                "dueTime": "2030-06-01T00:00:00Z",
                "requiredHashtags": ["AutumnRoast"],
                "disclosure": "#ad",
            }
        ],
    }


async def _import_alice(front: Front, tenant: str, target: str) -> None:
    # Creators come in over gRPC (as a partner's push would), with the admin's token.
    async with open_channel(target) as channel:
        stub = partnerships_pb2_grpc.PartnershipsServiceStub(channel)
        creator = pb.Creator(
            display_name="Alice",
            accounts=[
                pb.CreatorAccount(
                    network="bluesky", handle="alice.bsky.social", network_id="did:plc:alice",
                    followers_count=12_000, following_count=300, posts_count=800,
                    mean_engagements_per_post=300,
                )
            ],
            topics=["coffee"],
        )  # fmt: skip
        await stub.ImportCreators(
            rpc.ImportCreatorsRequest(parent=tenant, creators=[creator]),
            metadata=bearer(front.token),
        )


async def _post(nats_url: str, tenant: str, text: str) -> None:
    stamp = Timestamp()
    stamp.FromDatetime(datetime.now(UTC))
    brand = f"{tenant}/brands/lumiere"
    event = listener_events.MentionCaptured(
        brand=brand,
        mention=listener.Mention(
            name=f"{brand}/mentions/p1", brand=brand, source_kind=listener.SOURCE_KIND_BLUESKY,
            text=text, publish_time=stamp,
            author=listener.MentionAuthor(
                handle="@alice.bsky.social", followers_count=12_000, external_id="did:plc:alice"
            ),
        ),
    )  # fmt: skip
    connection = await nats.connect(nats_url)
    js = connection.jetstream()
    await ensure_stream(js, "listener")
    tenant_id = tenant.removeprefix("tenants/")
    headers = cloudevent_headers(
        "e-p1", MENTION_CAPTURED.ce_type, "listener", tenant_id, datetime.now(UTC)
    )
    await js.publish(
        MENTION_CAPTURED.subject(tenant_id), event.SerializeToString(), headers=headers
    )
    await connection.close()
