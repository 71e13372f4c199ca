"""One long-lived gRPC channel per service, shared by every request of the process."""

from dataclasses import dataclass

import grpc
from vigie.directory.v1 import directory_pb2_grpc
from vigie_runtime.grpc_client import open_channel

from vigie_gateway.config import Settings


@dataclass
class ServiceClients:
    directory: directory_pb2_grpc.DirectoryServiceStub
    channels: list[grpc.aio.Channel]

    @classmethod
    def connect(cls, settings: Settings) -> "ServiceClients":
        directory = open_channel(settings.directory_target, settings.rpc_timeout_seconds)
        return cls(
            directory=directory_pb2_grpc.DirectoryServiceStub(directory),
            channels=[directory],
        )

    async def close(self) -> None:
        for channel in self.channels:
            await channel.close()
