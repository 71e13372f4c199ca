"""What every part of the ListenerService servicer shares: the transaction helpers."""

from collections.abc import Callable
from typing import TypeAlias

import grpc
from vigie.listener.v1 import listener_pb2_grpc
from vigie_runtime.uow import Transactions, UnitOfWork

from vigie_listener.adapters.language_detector import LanguageDetector
from vigie_listener.app.ingest import Ingest

Context: TypeAlias = grpc.aio.ServicerContext


class ServicerBase(Transactions, listener_pb2_grpc.ListenerServiceServicer):
    def __init__(
        self, uow: Callable[[], UnitOfWork], detector: LanguageDetector, ingest: Ingest
    ) -> None:
        self._uow = uow
        self._detector = detector
        self._ingest = ingest
