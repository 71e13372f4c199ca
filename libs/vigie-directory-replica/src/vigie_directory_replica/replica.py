"""Applying the directory's facts to a replica table.

Events may arrive twice or out of order: the inbox drops duplicates, and each change carries
the directory's time so an older fact never overwrites a newer one. A deletion that arrives
before the creation leaves a tombstone, so the late creation does not bring the brand back.
"""

from dataclasses import dataclass
from datetime import datetime

from vigie_runtime.clock import as_utc
from vigie_runtime.uow import UnitOfWork

from vigie_directory_replica.columns import KnownBrandColumns


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


async def record_brand(uow: UnitOfWork, table: type[KnownBrandColumns], facts: BrandFacts) -> None:
    """A brand was created or updated in the directory."""
    row = await uow.session.get(table, (facts.tenant, facts.brand_id))
    if row is None:
        row = _new_row(table, facts.tenant, facts.brand_id)
        uow.session.add(row)
    elif as_utc(row.updated_at) > as_utc(facts.changed_at):
        return
    row.subsidiary_id = facts.subsidiary_id
    row.display_name = facts.display_name
    row.kind = facts.kind
    row.aliases = list(facts.aliases)
    row.competitors = list(facts.competitors)
    row.deleted = False
    row.updated_at = facts.changed_at


async def forget_brand(
    uow: UnitOfWork,
    table: type[KnownBrandColumns],
    tenant: str,
    brand_id: str,
    deleted_at: datetime,
) -> None:
    """A brand was deleted in the directory."""
    row = await uow.session.get(table, (tenant, brand_id))
    if row is None:
        tombstone = _new_row(table, tenant, brand_id)
        tombstone.subsidiary_id, tombstone.display_name, tombstone.kind = "", "", ""
        tombstone.aliases, tombstone.competitors = [], []
        tombstone.deleted, tombstone.updated_at = True, deleted_at
        uow.session.add(tombstone)
        return
    if as_utc(row.updated_at) > as_utc(deleted_at):
        return
    row.deleted = True
    row.updated_at = deleted_at


def _new_row(table: type[KnownBrandColumns], tenant: str, brand_id: str) -> KnownBrandColumns:
    row = table()
    row.tenant, row.id = tenant, brand_id
    return row
