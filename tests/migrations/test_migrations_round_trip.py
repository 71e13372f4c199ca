"""Every service's migrations go up, all the way down and up again, and leave a schema that
matches its ORM models (on SQLite, and on PostgreSQL in the server suites).

Why: a model changed without its revision, or a downgrade that cannot run, is found here
rather than in an operator's rollback.
"""

import asyncio
import importlib
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import MetaData, pool
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine
from vigie_runtime.migrations import downgrade, upgrade

SERVICES = ["directory", "listener", "partnerships", "publisher", "reputation"]


def _metadata(service: str) -> MetaData:
    orm = importlib.import_module(f"vigie_{service}.adapters.orm")
    metadata: MetaData = orm.Base.metadata
    return metadata


async def _drift(url: str, metadata: MetaData) -> list[object]:
    def compare(connection: Connection) -> list[object]:
        context = MigrationContext.configure(connection, opts={"compare_type": False})
        return list(compare_metadata(context, metadata))

    engine = create_async_engine(url, poolclass=pool.NullPool)
    try:
        async with engine.connect() as connection:
            return await connection.run_sync(compare)
    finally:
        await engine.dispose()


@pytest.mark.parametrize("service", SERVICES)
async def test_up_down_up_leaves_the_models_schema(service: str, database_url: str) -> None:
    script_location = f"vigie_{service}:migrations"
    await asyncio.to_thread(upgrade, script_location, database_url)
    await asyncio.to_thread(downgrade, script_location, database_url)
    await asyncio.to_thread(upgrade, script_location, database_url)

    drift = await _drift(database_url, _metadata(service))

    assert drift == [], f"{service}: models and migrations differ: {drift}"


async def test_a_migrated_sqlite_file_is_already_write_ahead_logged(tmp_path: Path) -> None:
    # Services' connections only ask for WAL; converting the file as several of them connect at
    # once can fail with "database is locked" without waiting, so migrating converts it first.
    path = tmp_path / "directory.sqlite"
    await asyncio.to_thread(upgrade, "vigie_directory:migrations", f"sqlite+aiosqlite:///{path}")

    with closing(sqlite3.connect(path)) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)
