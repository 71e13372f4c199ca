"""Throw-away databases for tests: a SQLite file, or a fresh PostgreSQL database when
`VIGIE_TEST_POSTGRES_URL` is set (CI sets it to run every suite against the real server)."""

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import asyncpg

from vigie_runtime.ids import new_id

POSTGRES_ENV = "VIGIE_TEST_POSTGRES_URL"


def backend() -> str:
    return "postgresql" if os.environ.get(POSTGRES_ENV) else "sqlite"


def _dsn(url: str) -> str:
    return url.replace("postgresql+asyncpg://", "postgresql://")


@asynccontextmanager
async def temporary_database(folder: Path, name: str = "db") -> AsyncIterator[str]:
    """Yields a SQLAlchemy async URL of an empty database, dropped afterwards."""
    admin = os.environ.get(POSTGRES_ENV)
    if not admin:
        yield f"sqlite+aiosqlite:///{folder / f'{name}.sqlite'}"
        return
    database = f"vigie_t_{name}_{new_id()[-10:]}"
    connection = await asyncpg.connect(_dsn(admin))
    try:
        await connection.execute(f'CREATE DATABASE "{database}"')
    finally:
        await connection.close()
    base = admin.rsplit("/", 1)[0]
    try:
        yield f"{base}/{database}"
    finally:
        connection = await asyncpg.connect(_dsn(admin))
        try:
            await connection.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        finally:
            await connection.close()
