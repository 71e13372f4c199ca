"""Alembic, shared: each service's `env.py` calls `run_env(metadata)`; `upgrade()` runs them.

Migrations run as their own step (`python -m vigie_<svc> migrate`, a Job in Kubernetes), never at
a server's start.
"""

import asyncio

from alembic import command, context
from alembic.config import Config
from sqlalchemy import MetaData, pool
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncConnection, create_async_engine


def alembic_config(script_location: str, url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", script_location)
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(script_location: str, url: str, revision: str = "head") -> None:
    """Synchronous: call it from a thread (`asyncio.to_thread`) inside an event loop."""
    command.upgrade(alembic_config(script_location, url), revision)


def downgrade(script_location: str, url: str, revision: str = "base") -> None:
    command.downgrade(alembic_config(script_location, url), revision)


def run_env(target_metadata: MetaData) -> None:
    url = context.config.get_main_option("sqlalchemy.url")
    assert url, "sqlalchemy.url must be set"
    sqlite = url.startswith("sqlite")
    if context.is_offline_mode():
        context.configure(url=url, target_metadata=target_metadata, render_as_batch=sqlite)
        with context.begin_transaction():
            context.run_migrations()
        return

    def run(connection: Connection) -> None:
        context.configure(
            connection=connection, target_metadata=target_metadata, render_as_batch=sqlite
        )
        with context.begin_transaction():
            context.run_migrations()

    async def run_async() -> None:
        engine = create_async_engine(url, poolclass=pool.NullPool)
        async with engine.connect() as connection:
            if sqlite:
                await _write_ahead_logged(connection)
            await connection.run_sync(run)
        await engine.dispose()

    asyncio.run(run_async())


async def _write_ahead_logged(connection: AsyncConnection) -> None:
    """Puts a SQLite file in WAL mode (it stays so) while migrating, one connection at a time.

    Every connection of the services asks for WAL too, but converting a file takes an exclusive
    lock: connections converting at once can fail at once with "database is locked", without
    waiting (a CI run lost two tests to that). After this, their request finds WAL already.
    """
    raw = (await connection.get_raw_connection()).driver_connection
    assert raw is not None  # a connection that is open has its driver's
    await raw.execute("PRAGMA journal_mode=WAL")
