"""What the reputation's integration tests share: the service's settings, a listener that
publishes real `mention.captured` events, a reader of the reputation's own events, and a reader
of its tables."""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import nats
import pytest
from google.protobuf.timestamp_pb2 import Timestamp
from nats.aio.client import Client
from nats.aio.msg import Msg
from nats.js import JetStreamContext
from sqlalchemy import select
from vigie.listener.v1 import events_pb2 as listener_events
from vigie.listener.v1 import resources_pb2 as listener
from vigie_reputation.adapters.orm import MeasureBucketRow, MentionSentimentRow
from vigie_reputation.app.events import MENTION_CAPTURED
from vigie_reputation.config import Settings
from vigie_reputation.testing import webhook_receivers
from vigie_runtime.database import create_engine
from vigie_runtime.events import cloudevent_headers
from vigie_runtime.nats_connection import ensure_stream
from vigie_runtime.settings import PlatformSettings

if TYPE_CHECKING:
    from vigie_reputation.presence_testing import Feeds
    from vigie_runtime.host import Plumbing


@pytest.fixture
def settings(tmp_path: Path, database_url: str, nats_url: str) -> Settings:
    return Settings(
        database_url=database_url,
        grpc_address="127.0.0.1:0",
        sentiment_model="fast",  # the service's code path; the fast tier keeps tests quick
        platform=PlatformSettings(
            jwks_file=tmp_path / "jwks.json", nats_url=nats_url, environment="test"
        ),
    )


@dataclass
class Listener:
    """Publishes `mention.captured` as the listener does (CloudEvents headers, Nats-Msg-Id)."""

    js: JetStreamContext

    async def capture(
        self,
        tenant: str,
        mention_id: str,
        text: str,
        *,
        brand: str = "lumiere",
        language: str = "en",
        followers: int = 100,
        published: datetime | None = None,
        event_id: str = "",
        msg_id: str = "",
        subsidiary: str = "france",
        source: str = "bluesky",
        country: str = "FR",
        author: str = "@alice.bsky.social",
    ) -> None:
        stamp = Timestamp()
        stamp.FromDatetime(published or datetime.now(UTC))
        mention = listener.Mention(
            name=f"tenants/{tenant}/brands/{brand}/mentions/{mention_id}",
            brand=f"tenants/{tenant}/brands/{brand}",
            source=f"tenants/{tenant}/sources/{source}",
            text=text,
            language=language,
            author=listener.MentionAuthor(handle=author, followers_count=followers),
            publish_time=stamp,
            capture_time=stamp,
            country=country,
        )
        captured = listener_events.MentionCaptured(
            mention=mention,
            brand=mention.brand,
            subsidiary=f"tenants/{tenant}/subsidiaries/{subsidiary}",
        )
        event_id = event_id or f"ev-{tenant}-{mention_id}"
        headers = cloudevent_headers(
            event_id, MENTION_CAPTURED.ce_type, "listener", tenant, datetime.now(UTC)
        )
        # A different Nats-Msg-Id gets past JetStream's de-duplication, as a re-publish after
        # its window would: only the consumer's inbox stands between the copy and a 2nd effect.
        headers["Nats-Msg-Id"] = msg_id or event_id
        await self.js.publish(
            MENTION_CAPTURED.subject(tenant), captured.SerializeToString(), headers=headers
        )


@pytest.fixture
async def nats_client(nats_url: str) -> AsyncIterator[Client]:
    connection = await nats.connect(nats_url)
    try:
        yield connection
    finally:
        await connection.close()


@pytest.fixture
async def listener_stream(nats_client: Client) -> Listener:
    js = nats_client.jetstream()
    await ensure_stream(js, "listener")
    return Listener(js)


@dataclass
class Received:
    """The reputation's events as NATS delivers them (core subscription on its subjects)."""

    messages: list[Msg]

    def of_type(self, ce_type: str) -> list[Msg]:
        return [m for m in self.messages if (m.headers or {}).get("ce-type") == ce_type]


@pytest.fixture
async def reputation_events(nats_client: Client) -> Received:
    received = Received([])

    async def keep(message: Msg) -> None:
        received.messages.append(message)

    await nats_client.subscribe("vigie.reputation.>", cb=keep)
    await asyncio.sleep(0)
    return received


class Store:
    """Reads the reputation's tables directly (tests only)."""

    def __init__(self, database_url: str) -> None:
        self.engine = create_engine(database_url)

    async def rows(self, query: Any) -> list[Any]:
        async with self.engine.connect() as connection:
            return list((await connection.execute(query)).all())

    async def sentiments(self, tenant: str) -> list[Any]:
        table = MentionSentimentRow.__table__
        return await self.rows(select(table).where(table.c.tenant == tenant))

    async def totals(self, tenant: str, dimension: str = "none") -> dict[str, int]:
        table = MeasureBucketRow.__table__
        query = select(table).where(table.c.tenant == tenant, table.c.dimension == dimension)
        totals: dict[str, int] = {}
        for row in await self.rows(query):
            key = row.value or row.brand_id
            totals[key] = totals.get(key, 0) + row.volume
        return totals


@pytest.fixture
async def store(database_url: str) -> AsyncIterator[Store]:
    store = Store(database_url)
    try:
        yield store
    finally:
        await store.engine.dispose()


@dataclass
class Reputation:
    """The service running in `all` mode, a client of its gRPC API, and tokens of any tenant."""

    stub: Any
    keys: Any
    listener: Listener
    store: Store
    js: JetStreamContext
    # The service's channel, for its other gRPC services (CrisisResponseService, ...).
    channel: Any = None

    def admin(self, tenant: str) -> Any:
        return self.keys.admin(tenant)

    def as_role(self, tenant: str, role: Any, subsidiary: str | None = None) -> Any:
        from vigie_runtime.grpc_client import bearer

        return bearer(self.keys.token(tenant, (role, subsidiary)))

    async def brand(
        self, tenant: str, brand_id: str, competitors: list[str], subsidiary: str = "france"
    ) -> None:
        """The directory announces a brand (with its competitors), as it does on creation."""
        from vigie.directory.v1 import events_pb2 as directory_events
        from vigie.directory.v1 import resources_pb2 as directory
        from vigie_directory.app.events import BRAND_CREATED

        stamp = Timestamp()
        stamp.FromDatetime(datetime.now(UTC))
        message = directory_events.BrandCreated(
            brand=directory.Brand(
                name=f"tenants/{tenant}/brands/{brand_id}",
                subsidiary=f"tenants/{tenant}/subsidiaries/{subsidiary}",
                display_name=brand_id,
                kind=directory.BRAND_KIND_OWN,
                competitors=[f"tenants/{tenant}/brands/{c}" for c in competitors],
                update_time=stamp,
            )
        )
        event_id = f"brand-{tenant}-{brand_id}"
        headers = cloudevent_headers(
            event_id, BRAND_CREATED.ce_type, "directory", tenant, datetime.now(UTC)
        )
        await self.js.publish(
            BRAND_CREATED.subject(tenant), message.SerializeToString(), headers=headers
        )

    async def processed(self, count: int) -> bool:
        from sqlalchemy import func
        from vigie_reputation.adapters.orm import RUNTIME_TABLES

        table = RUNTIME_TABLES.processed_events
        (row,) = await self.store.rows(select(func.count()).select_from(table))
        return int(row[0]) >= count


@pytest.fixture
async def reputation(
    settings: Settings, listener_stream: Listener, nats_client: Client, store: Store
) -> AsyncIterator[Reputation]:
    async with _running(settings, listener_stream, nats_client, store) as running:
        yield running


@pytest.fixture
async def reputation_api(
    settings: Settings, listener_stream: Listener, nats_client: Client, store: Store
) -> AsyncIterator[Reputation]:
    """The API alone, no worker: rows a test writes stay as written (a pending report is not
    rendered, a due schedule does not run)."""
    async with _running(settings, listener_stream, nats_client, store, "api") as running:
        yield running


@pytest.fixture
async def reputation_with_crisis_settings(
    settings: Settings, listener_stream: Listener, nats_client: Client, store: Store
) -> AsyncIterator[Reputation]:
    """Crisis warm-up shortened to 2 hours (tests feed history), fast webhook retries."""
    tuned = settings.model_copy(
        update={
            "crisis_warmup_buckets": 24,
            "crisis_clock_seconds": 3600.0,
            "webhook_deadline_seconds": 1.0,
            "webhook_backoff_seconds": 0.1,
        }
    )
    async with _running(tuned, listener_stream, nats_client, store) as running:
        yield running


@asynccontextmanager
async def _running(
    settings: Settings,
    listener_stream: Listener,
    nats_client: Client,
    store: Store,
    mode: str = "all",
) -> AsyncIterator[Reputation]:
    from vigie.reputation.v1 import reputation_pb2_grpc
    from vigie_reputation.bootstrap import build
    from vigie_runtime.grpc_client import open_channel
    from vigie_runtime.testing.services import serving
    from vigie_runtime.testing.tokens import TestKeys

    keys = TestKeys(settings.platform.jwks_file)
    js = nats_client.jetstream()
    await ensure_stream(js, "directory")
    async with (
        serving(build(settings), mode=mode) as host,
        open_channel(f"127.0.0.1:{host.grpc_port}") as channel,
    ):
        stub = reputation_pb2_grpc.ReputationServiceStub(channel)
        yield Reputation(stub, keys, listener_stream, store, js, channel)


@pytest.fixture
async def receivers() -> AsyncIterator[Any]:
    async with webhook_receivers() as make:
        yield make


async def _refused(call: Any, code: Any, reason: str) -> None:
    import grpc
    from vigie_runtime.grpc_errors import error_info

    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await call
    assert caught.value.code() == code, caught.value.details()
    info = error_info(caught.value)
    assert info is not None and info.reason == reason, info


@pytest.fixture
def refused() -> Any:
    """Awaits a call and checks it failed with this status code and ErrorInfo reason."""
    return _refused


@pytest.fixture
async def feeds(nats_client: Client) -> "Feeds":
    """Publishes as the publisher, the listener and the directory do (the presence tests)."""
    from vigie_reputation.presence_testing import feeds_on

    return await feeds_on(nats_client.jetstream())


@pytest.fixture
async def plumbing(settings: Settings) -> AsyncIterator["Plumbing"]:
    """A unit of work on the service's database, to read what the consumers wrote."""
    from vigie_reputation.adapters.orm import RUNTIME_TABLES
    from vigie_runtime.host import Plumbing

    plumbing = Plumbing("reputation", settings, RUNTIME_TABLES)
    try:
        yield plumbing
    finally:
        await plumbing.close()
