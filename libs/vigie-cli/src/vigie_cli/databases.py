"""One database per service: SQLite files by default, PostgreSQL when VIGIE_DATABASE_URL is set."""

import asyncio
import os
from pathlib import Path

import asyncpg

from vigie_cli.layout import SERVICES


def database_urls(data_dir: Path) -> dict[str, str]:
    server = os.environ.get("VIGIE_DATABASE_URL")
    if not server:
        data_dir.mkdir(parents=True, exist_ok=True)
        return {s: f"sqlite+aiosqlite:///{data_dir / f'{s}.sqlite'}" for s in SERVICES}
    base = server.replace("postgresql://", "postgresql+asyncpg://", 1).rsplit("/", 1)[0]
    # One deployment per prefix: tests and side-by-side installs use their own.
    prefix = os.environ.get("VIGIE_DATABASE_PREFIX", "vigie")
    asyncio.run(_create_missing(server, prefix))
    return {s: f"{base}/{prefix}_{s}" for s in SERVICES}


async def _create_missing(server: str, prefix: str) -> None:
    dsn = server.replace("postgresql+asyncpg://", "postgresql://", 1)
    connection = await asyncpg.connect(dsn)
    try:
        existing = {r["datname"] for r in await connection.fetch("SELECT datname FROM pg_database")}
        for service in SERVICES:
            if f"{prefix}_{service}" not in existing:
                await connection.execute(f'CREATE DATABASE "{prefix}_{service}"')
    finally:
        await connection.close()
