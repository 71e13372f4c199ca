"""A miniature service for the plumbing's tests: one business table, the runtime tables."""

from collections.abc import AsyncIterator

import pytest
from google.protobuf.wrappers_pb2 import StringValue
from sqlalchemy import Column, MetaData, String, Table
from sqlalchemy.ext.asyncio import AsyncEngine
from vigie_runtime.database import create_engine, session_factory
from vigie_runtime.events import EventType
from vigie_runtime.tables import RuntimeTables, add_runtime_tables
from vigie_runtime.uow import UnitOfWork

metadata = MetaData()
notes = Table(
    "notes", metadata, Column("id", String(40), primary_key=True), Column("text", String(200))
)
tables: RuntimeTables = add_runtime_tables(metadata)

NOTE_WRITTEN = EventType("scribe", "note", "written", StringValue)


class MiniService:
    notes = notes
    tables = tables
    NOTE_WRITTEN = NOTE_WRITTEN

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self.sessions = session_factory(engine)

    @classmethod
    async def create(cls, url: str) -> "MiniService":
        engine = create_engine(url)
        async with engine.begin() as connection:
            await connection.run_sync(metadata.create_all)
        return cls(engine)

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self.sessions, tables)

    async def write_note(self, tenant: str, note_id: str, text: str, fail: bool = False) -> None:
        async with self.uow() as uow:
            await uow.session.execute(notes.insert().values(id=note_id, text=text))
            uow.emit(NOTE_WRITTEN, tenant, StringValue(value=text))
            if fail:
                raise RuntimeError("the handler failed after writing")
            await uow.commit()

    async def count(self, table: Table) -> int:
        async with self.engine.connect() as connection:
            return len((await connection.execute(table.select())).all())


@pytest.fixture
async def mini(database_url: str) -> AsyncIterator[MiniService]:
    service = await MiniService.create(database_url)
    try:
        yield service
    finally:
        await service.engine.dispose()
