"""The PostgreSQL database a benchmark runs in: its own, dropped and made again each run, so a
run never measures another's rows."""

import asyncpg


async def bench_database(base_url: str, name: str, action: str = "create") -> str:
    """Drops `name` on the server of `base_url` and, for "create", makes it again empty; returns
    its SQLAlchemy URL."""
    connection = await asyncpg.connect(base_url.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        await connection.execute(f"DROP DATABASE IF EXISTS {name}")
        if action == "create":
            await connection.execute(f"CREATE DATABASE {name}")
    finally:
        await connection.close()
    return base_url.rsplit("/", 1)[0] + f"/{name}"
