"""Migration 0013 gives the other regions' crisis copies kept before it their severity, read from
the crisis each copy stores, so the group view sorts them by severity too (SQLite or
PostgreSQL)."""

import asyncio
from datetime import UTC, datetime

from sqlalchemy import pool, text
from sqlalchemy.ext.asyncio import create_async_engine
from vigie.reputation.v1 import resources_pb2 as pb
from vigie_runtime.migrations import upgrade

SCRIPTS = "vigie_reputation:migrations"
COPY = (
    "INSERT INTO region_crises (tenant, id, region, brand_id, subsidiary_id, status, open_time,"
    " update_time, crisis) VALUES ('t1', :id, 'us', 'b1', 'usa', 'opened', :at, :at, :crisis)"
)


async def test_copies_kept_before_the_migration_get_their_stored_severity(
    database_url: str,
) -> None:
    await asyncio.to_thread(upgrade, SCRIPTS, database_url, "0012")
    at = datetime(2026, 12, 1, tzinfo=UTC)
    engine = create_async_engine(database_url, poolclass=pool.NullPool)
    try:
        async with engine.begin() as connection:
            for crisis_id, severity in (
                ("c_high", pb.CRISIS_SEVERITY_HIGH),
                ("c_critical", pb.CRISIS_SEVERITY_CRITICAL),
                ("c_low", pb.CRISIS_SEVERITY_LOW),
            ):
                stored = pb.Crisis(
                    name=f"tenants/t1/brands/b1/crises/{crisis_id}", severity=severity
                )
                await connection.execute(
                    text(COPY), {"id": crisis_id, "at": at, "crisis": stored.SerializeToString()}
                )
        await asyncio.to_thread(upgrade, SCRIPTS, database_url)
        async with engine.connect() as connection:
            rows = await connection.execute(
                text("SELECT id, severity FROM region_crises ORDER BY id")
            )
            assert [tuple(r) for r in rows] == [
                ("c_critical", "critical"),
                ("c_high", "major"),
                ("c_low", "watch"),
            ]
    finally:
        await engine.dispose()
