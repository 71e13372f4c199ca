"""One long-lived gRPC channel per service, shared by every request of the process."""

from dataclasses import dataclass

import grpc
from vigie.directory.v1 import directory_pb2_grpc
from vigie.listener.v1 import listener_pb2_grpc
from vigie.partnerships.v1 import partnerships_pb2_grpc
from vigie.publisher.v1 import publisher_pb2_grpc
from vigie.reputation.v1 import reputation_pb2_grpc
from vigie_runtime.grpc_client import open_channel

from vigie_gateway.config import Settings


@dataclass
class ServiceClients:
    directory: directory_pb2_grpc.DirectoryServiceStub
    publisher: publisher_pb2_grpc.PublisherServiceStub
    listener: listener_pb2_grpc.ListenerServiceStub
    reputation: reputation_pb2_grpc.ReputationServiceStub
    partnerships: partnerships_pb2_grpc.PartnershipsServiceStub
    channels: dict[str, grpc.aio.Channel]

    @classmethod
    def connect(cls, settings: Settings) -> "ServiceClients":
        # Channels connect lazily: the gateway starts even when a service is not up yet.
        channels = {
            name: open_channel(getattr(settings, f"{name}_target"), settings.rpc_timeout_seconds)
            for name in ("directory", "publisher", "listener", "reputation", "partnerships")
        }
        return cls(
            directory=directory_pb2_grpc.DirectoryServiceStub(channels["directory"]),
            publisher=publisher_pb2_grpc.PublisherServiceStub(channels["publisher"]),
            listener=listener_pb2_grpc.ListenerServiceStub(channels["listener"]),
            reputation=reputation_pb2_grpc.ReputationServiceStub(channels["reputation"]),
            partnerships=partnerships_pb2_grpc.PartnershipsServiceStub(channels["partnerships"]),
            channels=channels,
        )

    async def close(self) -> None:
        for channel in self.channels.values():
            await channel.close()
