"""What the listener's tests share: tenants and brands seeded in its replica, and a client
with tokens of any tenant and role."""

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, select
from vigie.listener.v1 import listener_pb2 as rpc
from vigie.listener.v1 import listener_pb2_grpc
from vigie.listener.v1 import resources_pb2 as pb
from vigie_runtime.database import create_engine, session_factory
from vigie_runtime.grpc_client import bearer, open_channel
from vigie_runtime.host import Plumbing
from vigie_runtime.principal import Role
from vigie_runtime.testing.services import serving
from vigie_runtime.testing.tokens import TestKeys

from vigie_listener.adapters.language_detector import LanguageDetector
from vigie_listener.adapters.orm import KnownBrandRow, MentionRow, SourceRow
from vigie_listener.app.capture import Capture, CaptureResult, CaptureSource
from vigie_listener.app.live_matcher import LiveMatcher
from vigie_listener.bootstrap import build
from vigie_listener.config import Settings
from vigie_listener.domain.items import Author, SourceItem

TENANT = "t_acme"
OTHER_TENANT = "t_other"
FRANCE = f"tenants/{TENANT}/subsidiaries/france"
LUMIERE = f"tenants/{TENANT}/brands/lumiere"
RIVAL = f"tenants/{TENANT}/brands/rival"
OTHER_BRAND = f"tenants/{OTHER_TENANT}/brands/other"


@dataclass
class Listener:
    stub: listener_pb2_grpc.ListenerServiceStub
    keys: TestKeys
    database_url: str

    def admin(self, tenant: str = TENANT) -> tuple[tuple[str, str], ...]:
        return self.keys.admin(tenant)

    def member(self, role: Role, subsidiary: str | None = FRANCE) -> tuple[tuple[str, str], ...]:
        return bearer(self.keys.token(TENANT, (role, subsidiary)))

    def partner(self, scopes: set[str], brands: set[str]) -> tuple[tuple[str, str], ...]:
        return bearer(self.keys.partner_token(TENANT, scopes, brands))


async def seed_brands(database_url: str) -> None:
    """The brands the directory's events would have put in the replica."""
    engine = create_engine(database_url)
    moment = datetime(2026, 1, 1, tzinfo=UTC)
    rows = [
        (TENANT, "lumiere", "france", "Café Lumière", "own"),
        (TENANT, "rival", "france", "Rival", "competitor"),
        (TENANT, "gone", "france", "Gone", "own"),
        (OTHER_TENANT, "other", "germany", "Other", "own"),
    ]
    async with session_factory(engine)() as session:
        for tenant, brand_id, subsidiary, name, kind in rows:
            session.add(
                KnownBrandRow(
                    tenant=tenant, id=brand_id, subsidiary_id=subsidiary, display_name=name,
                    kind=kind, aliases=[], competitors=[], deleted=brand_id == "gone",
                    updated_at=moment,
                )
            )  # fmt: skip
        await session.commit()
    await engine.dispose()


FIREHOSE = CaptureSource("bluesky", pb.SOURCE_KIND_BLUESKY, None, "bluesky")
FEED = CaptureSource("news", pb.SOURCE_KIND_RSS, TENANT, "rss")
WHEN = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


class Pipeline:
    def __init__(self, plumbing: Plumbing, settings: Settings) -> None:
        self.plumbing = plumbing
        self.capture = Capture(
            LiveMatcher(), LanguageDetector(settings.languages), settings.max_text_length
        )

    async def run(self, source: CaptureSource, items: Sequence[SourceItem]) -> CaptureResult:
        async with self.plumbing.uow() as uow:
            await self.capture.matcher.refresh(uow, force=True)
            result = await self.capture.capture(uow, source, items)
            await uow.commit()
            return result

    async def count(self) -> int:
        async with self.plumbing.uow() as uow:
            counted = select(func.count()).select_from(MentionRow)
            return int((await uow.session.execute(counted)).scalar_one())


async def query(listener: Listener, brand: str, text: str, languages: Sequence[str] = ()) -> str:
    created = await listener.stub.CreateListeningQuery(
        rpc.CreateListeningQueryRequest(
            parent=brand,
            listening_query=pb.ListeningQuery(
                display_name="q", query=text, active=True, languages=languages
            ),
        ),
        metadata=listener.admin(brand.split("/")[1]),
    )
    return str(created.name)


def post(external_id: str, text: str, url: str = "", language: str = "en") -> SourceItem:
    return SourceItem(
        external_id, text, WHEN, url=url, language=language,
        author=Author("@alice.test", "Alice", 120, "did:plc:alice"),
    )  # fmt: skip


PARTNER_CLIENT = f"tenants/{TENANT}/partnerClients/01pppppppppppppppppppppppp"


async def seed_source(
    database_url: str,
    source_id: str,
    kind: int,
    config: dict[str, object],
    cursor: str = "",
    tenant: str = TENANT,
) -> str:
    """A source as CreateSource would store it; returns its name."""
    engine = create_engine(database_url)
    moment = datetime.now(UTC)
    async with session_factory(engine)() as session:
        session.add(
            SourceRow(
                id=source_id, tenant=tenant, kind=kind, display_name=source_id, config=config,
                brands=[], enabled=True, cursor=cursor, captured_count=0, skipped_count=0,
                error_count=0, last_error="", version=1, created_at=moment, updated_at=moment,
            )
        )  # fmt: skip
        await session.commit()
    await engine.dispose()
    return f"tenants/{tenant}/sources/{source_id}"


async def seed_partner_source(database_url: str, source_id: str, partner_client: str) -> str:
    config: dict[str, object] = {"partner_client": partner_client}
    return await seed_source(database_url, source_id, pb.SOURCE_KIND_PARTNER, config)


@asynccontextmanager
async def running(settings: Settings, keys: TestKeys) -> AsyncIterator[Listener]:
    async with (
        serving(build(settings), mode="all") as host,
        open_channel(f"127.0.0.1:{host.grpc_port}") as channel,
    ):
        stub = listener_pb2_grpc.ListenerServiceStub(channel)
        yield Listener(stub, keys, settings.database_url)


async def captured(database_url: str) -> list[tuple[str, str]]:
    engine = create_engine(database_url)
    try:
        async with session_factory(engine)() as session:
            rows = await session.execute(select(MentionRow.external_id, MentionRow.brand_id))
            return [(r[0], r[1]) for r in rows]
    finally:
        await engine.dispose()
