"""A read (`Transactions._read`) does not hold the database's write lock: on SQLite it begins
deferred, so a write commits while a read is open (with BEGIN IMMEDIATE it waited for it)."""

from typing import TYPE_CHECKING

import pytest
from vigie_runtime.uow import Transactions, UnitOfWork

if TYPE_CHECKING:
    from conftest import MiniService

pytestmark = pytest.mark.asyncio


class Handlers(Transactions):
    def __init__(self, mini: "MiniService") -> None:
        self._uow = mini.uow


async def test_a_write_commits_while_a_read_is_open(mini: "MiniService") -> None:
    await mini.write_note("t1", "n1", "before")

    async def read_then_let_a_write_through(uow: UnitOfWork) -> list[str]:
        seen = list((await uow.session.execute(mini.notes.select())).scalars())
        await mini.write_note("t1", "n2", "during the read")
        return seen

    seen = await Handlers(mini)._read(read_then_let_a_write_through)
    assert seen == ["n1"]
    assert await mini.count(mini.notes) == 2


async def test_a_write_still_commits(mini: "MiniService") -> None:
    async def write(uow: UnitOfWork) -> None:
        await uow.session.execute(mini.notes.insert().values(id="n3", text="written"))

    await Handlers(mini)._write(write)
    assert await mini.count(mini.notes) == 1
