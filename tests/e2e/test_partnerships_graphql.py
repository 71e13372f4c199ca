"""The partnerships through GraphQL like a front end: a creator imported by a partner is found
by a filtered search with its explained vetting, a campaign and a contract are created and
signed, a negative fee is refused with its reason, and the creator's post arriving as a
`mention.captured` event fulfils the deliverable, visible in GraphQL. (The listener's own
capture from the Bluesky PDS is in test_partnerships_bluesky.py.)"""

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import nats
import pytest
from google.protobuf.timestamp_pb2 import Timestamp
from vigie.listener.v1 import events_pb2 as listener_events
from vigie.listener.v1 import resources_pb2 as listener
from vigie_directory.bootstrap import build as build_directory
from vigie_directory.testing import ADMIN_PASSWORD, bootstrap_tenant, directory_settings
from vigie_gateway.app import create_app
from vigie_gateway.config import Settings as GatewaySettings
from vigie_gateway.testing import Front, graphql_front, refusal
from vigie_partnerships.bootstrap import build as build_partnerships
from vigie_partnerships.config import Settings as PartnershipsSettings
from vigie_partnerships.entrypoints.nats.mentions import MENTION_CAPTURED
from vigie_partnerships.testing import (
    CREATE_CONTRACT,
    contract_input,
    contract_status,
    create_campaign,
    import_creator,
    signed_contract,
    wait_until_completed,
)
from vigie_runtime.events import cloudevent_headers
from vigie_runtime.nats_connection import ensure_stream
from vigie_runtime.testing.databases import temporary_database
from vigie_runtime.testing.services import serving

pytestmark = pytest.mark.e2e


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
            async with graphql_front(create_app(gateway)) as front:
                await front.log_in("admin@acme.test", ADMIN_PASSWORD)
                yield front, tenant, f"127.0.0.1:{host.grpc_port}"


SEARCH = """query($s: CreatorFilter!) { searchCreators(filter: $s, first: 10) {
  nodes { id displayName topics } pageInfo { hasNextPage } } }"""


async def test_from_search_to_a_fulfilled_deliverable(
    platform: tuple[Front, str, str], nats_url: str
) -> None:
    front, tenant, target = platform
    await import_creator(target, front.token, tenant, "alice.bsky.social", "did:plc:alice")
    found = await front.ask(SEARCH, s={"topics": ["coffee"], "minFollowers": 10000})
    creator_id = found["data"]["searchCreators"]["nodes"][0]["id"]
    vetting = await front.ask(
        "query($c: ID!) { vetting(creatorId: $c) { engagement { score inputs { name value } } } }",
        c=creator_id,
    )
    assert vetting["data"]["vetting"]["engagement"]["score"] == 50.0
    campaign_id = await create_campaign(front, f"{tenant}/brands/lumiere")
    negative = contract_input(campaign_id, creator_id, "-10.00", "AutumnRoast")
    bad = await front.ask(CREATE_CONTRACT, i=negative)
    assert refusal(bad) == "NEGATIVE_AMOUNT"
    contract_id = await signed_contract(front, campaign_id, creator_id, "AutumnRoast")
    await _post(nats_url, tenant, "#AutumnRoast is out #ad")

    await wait_until_completed(front, contract_id)
    answer = await contract_status(front, contract_id)
    assert answer["deliverables"][0]["status"] == "FULFILLED"


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
