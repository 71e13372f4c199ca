"""Async SQLAlchemy engines for SQLite (embedded default) and PostgreSQL (production).

SQLite runs in WAL mode and starts every transaction with `BEGIN IMMEDIATE`: with several
processes writing one file, a deferred transaction that later needs to write can fail with
SQLITE_BUSY whatever the timeout; taking the write lock up front makes writers queue instead.
"""

from typing import Any

from sqlalchemy import MetaData, event
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine

__all__ = ["AsyncSession", "ServiceBase", "create_engine", "new_metadata", "session_factory"]
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import DeclarativeBase

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def new_metadata() -> MetaData:
    return MetaData(naming_convention=NAMING_CONVENTION)


class ServiceBase(DeclarativeBase):
    """Subclass once per service (`class Base(ServiceBase): metadata = new_metadata()`)."""

    __abstract__ = True


# Execution option of a transaction that only reads (see `vigie_runtime.uow.Transactions`).
READ_ONLY = "vigie_read_only"


def is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")


def create_engine(url: str, *, echo: bool = False) -> AsyncEngine:
    options: dict[str, Any] = {"echo": echo}
    if is_sqlite(url):
        options["connect_args"] = {"timeout": 30}
    else:
        options.update(pool_size=10, max_overflow=10, pool_pre_ping=True)
    engine = create_async_engine(url, **options)
    if is_sqlite(url):
        _configure_sqlite(engine)
    _instrument(engine)
    return engine


def _configure_sqlite(engine: AsyncEngine) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the driver, decide when transactions begin.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA busy_timeout=30000")
        # Only when the file is not WAL yet (migrations convert it): a conversion takes an
        # exclusive lock, and connections converting at once fail without waiting.
        cursor.execute("PRAGMA journal_mode")
        if cursor.fetchone()[0].lower() != "wal":
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def on_begin(connection: Any) -> None:
        # A write takes the write lock at once (no deadlock upgrading a read lock); a read
        # (`READ_ONLY`) begins deferred, so WAL readers neither wait for nor block writers.
        read_only = connection.get_execution_options().get(READ_ONLY, False)
        connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")


_instrumented = False


def _instrument(engine: AsyncEngine) -> None:
    """Traces the SQL of the process's first engine (a service has one; tests make many, and
    the instrumentor is a process-wide singleton that ignores later calls)."""
    global _instrumented  # noqa: PLW0603 - one instrumentor per process, by its design
    if _instrumented:
        return
    from opentelemetry.instrumentation.sqlalchemy import SQLAlchemyInstrumentor

    # The instrumentation declares SQLAlchemy < 2.1 but works on it; without the flag it
    # silently produces no spans.
    SQLAlchemyInstrumentor().instrument(engine=engine.sync_engine, skip_dep_check=True)
    _instrumented = True


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=True)
