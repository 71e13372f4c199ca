"""The unit of work: one transaction, owned by the handler, with the outbox in it.

    async with uow_factory() as uow:
        uow.session.add(row)
        uow.emit(BRAND_CREATED, tenant, message)
        await uow.commit()

Leaving the block without `commit()` rolls everything back, events included.
"""

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from types import TracebackType
from typing import Self, TypeVar

from opentelemetry import propagate
from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from vigie_runtime.database import READ_ONLY
from vigie_runtime.events import EventType, M, cloudevent_headers
from vigie_runtime.ids import new_id
from vigie_runtime.tables import RuntimeTables


class UnitOfWork:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        tables: RuntimeTables,
        on_events_committed: Callable[[], None] | None = None,
    ) -> None:
        self._sessions = sessions
        self.tables = tables
        self._on_events_committed = on_events_committed
        self._session: AsyncSession | None = None
        self._queued: list[dict[str, object]] = []
        self._after_commit: list[Callable[[], None]] = []

    @property
    def session(self) -> AsyncSession:
        if self._session is None:
            raise RuntimeError("the unit of work is used outside its `async with` block")
        return self._session

    async def __aenter__(self) -> Self:
        self._session = self._sessions()
        self._queued = []
        self._after_commit = []
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        session, self._session = self.session, None
        self._queued = []
        # close() rolls back what was not committed and detaches the rows without expiring
        # them, so handlers can return rows that entrypoints read after the block.
        await session.close()

    async def commit(self) -> None:
        had_events = bool(self._queued)
        await self.flush_events()
        await self.session.commit()
        if had_events and self._on_events_committed is not None:
            self._on_events_committed()  # wakes the relay: latency in ms, not a poll interval
        callbacks, self._after_commit = self._after_commit, []
        for callback in callbacks:
            callback()

    def after_commit(self, callback: Callable[[], None]) -> None:
        """Runs `callback` once this transaction has committed, never if it rolls back: the
        place to record a metric of what the transaction made true."""
        self._after_commit.append(callback)

    def emit(self, event_type: EventType[M], tenant: str, message: M) -> str:
        """Adds an event to the transaction; it is published only if the transaction commits."""
        if not isinstance(message, event_type.message):
            raise TypeError(f"{event_type.ce_type} carries {event_type.message.__name__}")
        event_id = new_id()
        now = datetime.now(UTC)
        headers = cloudevent_headers(event_id, event_type.ce_type, event_type.producer, tenant, now)
        propagate.inject(headers)  # the trace of the request that caused the event
        self._queued.append(
            {
                "id": event_id,
                "tenant": tenant,
                "subject": event_type.subject(tenant),
                "type": event_type.ce_type,
                "headers": headers,
                "payload": message.SerializeToString(),
                "created_at": now,
                "attempts": 0,
            }
        )
        return event_id

    async def flush_events(self) -> None:
        """Writes queued events in one statement; `commit()` calls it, handlers rarely need to."""
        if self._queued:
            await self.session.execute(insert(self.tables.outbox), self._queued)
            self._queued = []


T = TypeVar("T")


class Transactions:
    """The two ways an entrypoint runs a handler: inside a transaction it commits, or as a read.

    Mixed into servicers, which set `self._uow` (a unit-of-work factory) in their constructor.
    """

    _uow: Callable[[], UnitOfWork]

    async def _write(self, step: Callable[[UnitOfWork], Awaitable[T]]) -> T:
        async with self._uow() as uow:
            result = await step(uow)
            await uow.commit()
            return result

    async def _read(self, step: Callable[[UnitOfWork], Awaitable[T]]) -> T:
        async with self._uow() as uow:
            # Never committed: on SQLite it begins deferred, not holding the write lock.
            await uow.session.connection(execution_options={READ_ONLY: True})
            return await step(uow)
