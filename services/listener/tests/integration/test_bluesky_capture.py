"""The Bluesky connector against a real PDS: posts arrive as mentions of the right brand, and
a listener stopped mid-stream and restarted captures every post exactly once."""

import asyncio
import secrets

import pytest
from atproto import Client
from vigie.listener.v1 import resources_pb2 as pb
from vigie_listener.adapters.orm import SourceRow
from vigie_listener.config import Settings
from vigie_listener.testing import LUMIERE, captured, query, running, seed_brands, seed_source
from vigie_runtime.database import create_engine, session_factory
from vigie_runtime.testing.bluesky_pds import BlueskyPds
from vigie_runtime.testing.tokens import TestKeys
from vigie_runtime.testing.waiting import eventually

pytestmark = [pytest.mark.node, pytest.mark.timeout(1200)]


async def cursor(database_url: str) -> str:
    engine = create_engine(database_url)
    try:
        async with session_factory(engine)() as session:
            row = await session.get(SourceRow, "firehose")
            return row.cursor if row else ""
    finally:
        await engine.dispose()


class Author:
    """An account on the PDS (no AppView: posts name their author's DID themselves)."""

    def __init__(self, pds: BlueskyPds) -> None:
        self.did, handle, password = pds.create_account(f"cap{secrets.token_hex(4)}")
        self.client = Client(base_url=pds.url)
        self.client.login(handle, password, fetch_bsky_profile=False)

    async def post(self, text: str) -> str:
        sent = await asyncio.to_thread(self.client.send_post, text, profile_identify=self.did)
        return str(sent.uri)


async def test_a_restarted_listener_captures_every_post_exactly_once(
    bluesky_pds: BlueskyPds, settings: Settings
) -> None:
    keys = TestKeys(settings.platform.jwks_file)
    word = f"vigie{secrets.token_hex(3)}"
    client = Author(bluesky_pds)
    async with running(settings, keys) as listener:
        await seed_brands(settings.database_url)
        # From the PDS's first event: nothing posted before the connector connects is missed.
        config: dict[str, object] = {"relay_url": bluesky_pds.firehose_url}
        await seed_source(settings.database_url, "firehose", pb.SOURCE_KIND_BLUESKY, config, "0")
        await query(listener, LUMIERE, word)
        first = [await client.post(f"{word} Lumière #{i}") for i in range(3)]
        await client.post("a post about something else")

        async def first_arrived() -> bool:
            return len(await captured(settings.database_url)) >= 3

        await eventually(first_arrived, seconds=30)
    stopped_at = await cursor(settings.database_url)
    later = [await client.post(f"{word} encore #{i}") for i in range(3)]
    async with running(settings, keys):

        async def all_arrived() -> bool:
            return len(await captured(settings.database_url)) >= 6

        await eventually(all_arrived, seconds=30)
    mentions = await captured(settings.database_url)
    assert sorted(mentions) == sorted((uri, "lumiere") for uri in first + later)
    assert int(await cursor(settings.database_url)) > int(stopped_at) > 0
