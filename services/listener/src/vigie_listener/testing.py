"""What the listener's tests share: tenants and brands seeded in its replica, and a client
with tokens of any tenant and role."""

from dataclasses import dataclass
from datetime import UTC, datetime

from vigie.listener.v1 import listener_pb2_grpc
from vigie_runtime.database import create_engine, session_factory
from vigie_runtime.grpc_client import bearer
from vigie_runtime.principal import Role
from vigie_runtime.testing.tokens import TestKeys

from vigie_listener.adapters.orm import KnownBrandRow

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
