"""Partner clients: agencies calling the gRPC APIs with a secret, scoped to brands and verbs."""

import secrets
from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import select
from vigie.directory.v1 import events_pb2
from vigie.directory.v1 import resources_pb2 as pb
from vigie_runtime import idempotency
from vigie_runtime.clock import now
from vigie_runtime.errors import InvalidArgument
from vigie_runtime.ids import new_id
from vigie_runtime.principal import Principal, Role
from vigie_runtime.resource_names import require_parent
from vigie_runtime.tenant_rows import batch, load, page
from vigie_runtime.uow import UnitOfWork

from vigie_directory.adapters.orm import BrandRow, PartnerClientRow
from vigie_directory.adapters.passwords import hash_secret
from vigie_directory.app import events, views
from vigie_directory.app.names import BRAND, PARTNER_CLIENT

SCOPES = frozenset(
    {
        "mentions.ingest",
        "mentions.read",
        "creators.import",
        "creators.read",
        "conversions.report",
        "results.read",
    }
)


async def create(
    uow: UnitOfWork, who: Principal, parent: str, source: pb.PartnerClient, request_id: str
) -> tuple[PartnerClientRow, str]:
    """The client and its secret; the secret is shown once (a retried request gets none)."""
    require_parent(parent, who.tenant)
    who.require([Role.GROUP_ADMIN])
    earlier = await idempotency.created_before(uow, who.tenant, request_id, "CreatePartnerClient")
    if earlier:
        _, row_id = PARTNER_CLIENT.parse(earlier)
        return await load(uow, PartnerClientRow, "partner_client", who.tenant, row_id, earlier), ""
    unknown = sorted(set(source.scopes) - SCOPES)
    if unknown or not source.scopes:
        raise InvalidArgument("scopes", f"choose among {', '.join(sorted(SCOPES))}")
    brand_ids = [BRAND.parse_in_tenant(b, who.tenant, "brands")[1] for b in source.brands]
    found = await batch(uow, BrandRow, who.tenant, brand_ids)
    if len(found) != len(set(brand_ids)) or not brand_ids:
        raise InvalidArgument("brands", "name at least one brand of this tenant, each existing")
    secret = secrets.token_urlsafe(32)
    row = PartnerClientRow(
        id=new_id(),
        tenant=who.tenant,
        display_name=source.display_name.strip()[:100] or "partner",
        client_id=f"pc_{secrets.token_hex(12)}",
        secret_hash=hash_secret(secret),
        brands=list(dict.fromkeys(brand_ids)),
        scopes=sorted(set(source.scopes)),
        created_at=now(),
    )
    uow.session.add(row)
    await uow.session.flush()
    await idempotency.remember(
        uow,
        who.tenant,
        request_id,
        "CreatePartnerClient",
        PARTNER_CLIENT.format(who.tenant, row.id),
    )
    return row, secret


async def list_(
    uow: UnitOfWork, who: Principal, parent: str, size: int, token: str
) -> tuple[Sequence[PartnerClientRow], str]:
    require_parent(parent, who.tenant)
    who.require([Role.GROUP_ADMIN])
    query = select(PartnerClientRow).where(PartnerClientRow.tenant == who.tenant)
    return await page(uow, query, PartnerClientRow, size, token, ["partner_clients", who.tenant])


async def revoke(uow: UnitOfWork, who: Principal, name: str) -> PartnerClientRow:
    _, row_id = PARTNER_CLIENT.parse_in_tenant(name, who.tenant)
    row = await load(uow, PartnerClientRow, "partner_client", who.tenant, row_id, name)
    who.require([Role.GROUP_ADMIN])
    if row.revoked_at is None:
        row.revoked_at = datetime.now(UTC)
        uow.emit(
            events.PARTNER_CLIENT_REVOKED,
            who.tenant,
            events_pb2.PartnerClientRevoked(partner_client=views.partner_client(row)),
        )
    return row
