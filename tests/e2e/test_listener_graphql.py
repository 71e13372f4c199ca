"""The listener through GraphQL like a front end: a brand created in the directory reaches
the listener, a listening query is created (and a bad one refused with its position), captured
mentions are listed with their brand nested (DataLoader) and counted; another tenant sees
nothing."""

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from vigie_directory.bootstrap import build as build_directory
from vigie_directory.testing import ADMIN_PASSWORD, bootstrap_tenant, directory_settings
from vigie_gateway.app import create_app
from vigie_gateway.config import Settings as GatewaySettings
from vigie_gateway.testing import Front, graphql_front, succeeded
from vigie_listener.adapters.orm import RUNTIME_TABLES
from vigie_listener.bootstrap import build as build_listener
from vigie_listener.config import Settings as ListenerSettings
from vigie_listener.testing import FIREHOSE, Pipeline, post
from vigie_runtime.host import Plumbing
from vigie_runtime.testing.databases import temporary_database
from vigie_runtime.testing.services import serving
from vigie_runtime.testing.waiting import eventually

pytestmark = pytest.mark.e2e


@pytest.fixture
async def platform(
    tmp_path: Path, database_url: str, nats_url: str
) -> AsyncIterator[tuple[Front, Pipeline]]:
    directory = directory_settings(tmp_path, database_url, nats_url)
    async with (
        temporary_database(tmp_path, "listener") as listener_url,
        serving(build_directory(directory), mode="all") as directory_host,
    ):
        listener = ListenerSettings(
            database_url=listener_url, grpc_address="127.0.0.1:0", platform=directory.platform
        )
        async with serving(build_listener(listener), mode="all") as listener_host:
            await bootstrap_tenant(directory, "Acme Group", "admin@acme.test")
            gateway = GatewaySettings(
                directory_target=f"127.0.0.1:{directory_host.grpc_port}",
                listener_target=f"127.0.0.1:{listener_host.grpc_port}",
                platform=directory.platform,
            )
            plumbing = Plumbing("listener", listener, RUNTIME_TABLES)
            async with graphql_front(create_app(gateway)) as front:
                yield front, Pipeline(plumbing, listener)
            await plumbing.close()


LOGIN = 'mutation($p: String!) { login(input: {email: "admin@acme.test", password: $p}) { token } }'
SUBSIDIARY = """mutation { createSubsidiary(input: {displayName: "France", country: "FR",
  locale: "fr-FR", timeZone: "Europe/Paris"}) { subsidiary { id } errors { code reason message field } } }"""
BRAND = 'mutation($s: ID!) { createBrand(input: {subsidiaryId: $s, displayName: "Lumière"}) { brand { id } errors { code reason message field } } }'
CREATE_QUERY = """mutation($b: ID!, $q: String!) { createListeningQuery(input: {brandId: $b,
  displayName: "Main", query: $q}) { listeningQuery { id query brand { displayName } } errors { code reason message field } } }"""
MENTIONS = """query { mentions(first: 10) { nodes { text language author { handle }
  brand { displayName } matchedQueries { displayName } } pageInfo { hasNextPage } } }"""
COUNTS = """query($s: DateTime!, $e: DateTime!) { mentionCounts(start: $s, end: $e,
  interval: DAY) { count brand { displayName } } }"""


async def test_a_front_end_sets_listening_and_reads_mentions_with_their_brand(
    platform: tuple[Front, Pipeline],
) -> None:
    front, pipeline = platform
    front.token = (await front.ask(LOGIN, p=ADMIN_PASSWORD))["data"]["login"]["token"]
    subsidiary = (await front.ask(SUBSIDIARY))["data"]["createSubsidiary"]["subsidiary"]["id"]
    brand = (await front.ask(BRAND, s=subsidiary))["data"]["createBrand"]["brand"]["id"]

    async def created() -> bool:  # the brand reaches the listener through brand.created
        return succeeded(await front.ask(CREATE_QUERY, b=brand, q="lumiere"))

    await eventually(created)
    bad = await front.ask(CREATE_QUERY, b=brand, q="(lumiere OR")
    (error,) = bad["data"]["createListeningQuery"]["errors"]
    assert (error["code"], error["reason"]) == ("INVALID_INPUT", "QUERY_SYNTAX_ERROR")
    assert "position" in error["message"]
    await pipeline.run(FIREHOSE, [post("at://1", "Lumière, quel café !", language="fr")])
    listed = (await front.ask(MENTIONS))["data"]["mentions"]
    assert listed["nodes"] == [
        {
            "text": "Lumière, quel café !",
            "language": "fr",
            "author": {"handle": "@alice.test"},
            "brand": {"displayName": "Lumière"},
            "matchedQueries": [{"displayName": "Main"}],
        }
    ]
    today = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    window = {"s": (today - timedelta(days=400)).isoformat(), "e": today.isoformat()}
    counts = (await front.ask(COUNTS, **window))["data"]["mentionCounts"]
    assert sum(c["count"] for c in counts) == 1
    valid = await front.ask('query { validateQuery(query: "a AND") { valid problems { start } } }')
    assert valid["data"]["validateQuery"] == {"valid": False, "problems": [{"start": 5}]}
