"""The local replica of the directory's brands, kept from its `brand.*` events.

Events may arrive twice or out of order: the inbox drops duplicates, and each change carries
the directory's time so an older fact never overwrites a newer one. A deletion that arrives
before the creation leaves a tombstone, so the late creation does not bring the brand back.
"""

from dataclasses import dataclass
from datetime import UTC, datetime

from vigie_runtime.uow import UnitOfWork

from vigie_partnerships.adapters.orm import KnownBrandRow


@dataclass(frozen=True)
class BrandFacts:
    """What the directory said a brand is, and when."""

    tenant: str
    brand_id: str
    subsidiary_id: str
    display_name: str
    kind: str
    aliases: list[str]
    competitors: list[str]
    changed_at: datetime


async def record_brand(uow: UnitOfWork, facts: BrandFacts) -> None:
    """A brand was created or updated in the directory."""
    row = await uow.session.get(KnownBrandRow, (facts.tenant, facts.brand_id))
    if row is None:
        row = KnownBrandRow(tenant=facts.tenant, id=facts.brand_id)
        uow.session.add(row)
    elif _utc(row.updated_at) > _utc(facts.changed_at):
        return
    row.subsidiary_id = facts.subsidiary_id
    row.display_name = facts.display_name
    row.kind = facts.kind
    row.aliases = list(facts.aliases)
    row.competitors = list(facts.competitors)
    row.deleted = False
    row.updated_at = facts.changed_at


async def forget_brand(uow: UnitOfWork, tenant: str, brand_id: str, deleted_at: datetime) -> None:
    """A brand was deleted in the directory."""
    row = await uow.session.get(KnownBrandRow, (tenant, brand_id))
    if row is None:
        uow.session.add(
            KnownBrandRow(
                tenant=tenant,
                id=brand_id,
                subsidiary_id="",
                display_name="",
                kind="",
                aliases=[],
                competitors=[],
                deleted=True,
                updated_at=deleted_at,
            )
        )
        return
    if _utc(row.updated_at) > _utc(deleted_at):
        return
    row.deleted = True
    row.updated_at = deleted_at


def _utc(moment: datetime) -> datetime:
    # SQLite gives back naive datetimes; everything stored is UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
