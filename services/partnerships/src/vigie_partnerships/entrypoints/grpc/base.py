"""What every part of the servicer shares: the unit of work, and reads and writes through it."""

from collections.abc import Awaitable, Callable
from typing import TypeAlias, TypeVar

import grpc
from vigie.partnerships.v1 import partnerships_pb2_grpc
from vigie_runtime.uow import UnitOfWork

from vigie_partnerships.domain.results import EmvRates, FxRates

T = TypeVar("T")
Context: TypeAlias = grpc.aio.ServicerContext


class Base(partnerships_pb2_grpc.PartnershipsServiceServicer):
    def __init__(
        self, uow: Callable[[], UnitOfWork], emv: EmvRates | None = None, fx: FxRates | None = None
    ) -> None:
        self._uow = uow
        self._emv: EmvRates = emv or {}
        self._fx: FxRates = fx or {}

    async def _write(self, step: Callable[[UnitOfWork], Awaitable[T]]) -> T:
        async with self._uow() as uow:
            result = await step(uow)
            await uow.commit()
            return result

    async def _read(self, step: Callable[[UnitOfWork], Awaitable[T]]) -> T:
        async with self._uow() as uow:
            return await step(uow)
