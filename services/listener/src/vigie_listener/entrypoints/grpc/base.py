"""What every part of the ListenerService servicer shares: the transaction helpers."""

from collections.abc import Awaitable, Callable
from typing import TypeAlias, TypeVar

import grpc
from vigie.listener.v1 import listener_pb2_grpc
from vigie_runtime.uow import UnitOfWork

from vigie_listener.adapters.language_detector import LanguageDetector
from vigie_listener.app.ingest import Ingest

T = TypeVar("T")
Context: TypeAlias = grpc.aio.ServicerContext


class ServicerBase(listener_pb2_grpc.ListenerServiceServicer):
    def __init__(
        self, uow: Callable[[], UnitOfWork], detector: LanguageDetector, ingest: Ingest
    ) -> None:
        self._uow = uow
        self._detector = detector
        self._ingest = ingest

    async def _write(self, step: Callable[[UnitOfWork], Awaitable[T]]) -> T:
        async with self._uow() as uow:
            result = await step(uow)
            await uow.commit()
            return result

    async def _read(self, step: Callable[[UnitOfWork], Awaitable[T]]) -> T:
        async with self._uow() as uow:
            return await step(uow)
