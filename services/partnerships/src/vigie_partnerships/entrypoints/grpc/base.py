"""What every part of the servicer shares: the unit of work, and reads and writes through it."""

from collections.abc import Callable
from typing import TypeAlias

import grpc
from vigie.partnerships.v1 import partnerships_pb2_grpc
from vigie_runtime.uow import Transactions, UnitOfWork

from vigie_partnerships.domain.results import EmvRates

Context: TypeAlias = grpc.aio.ServicerContext


class Base(Transactions, partnerships_pb2_grpc.PartnershipsServiceServicer):
    def __init__(self, uow: Callable[[], UnitOfWork], emv: EmvRates | None = None) -> None:
        self._uow = uow
        self._emv: EmvRates = emv or {}
