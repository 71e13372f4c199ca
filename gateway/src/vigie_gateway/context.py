"""The typed context of one GraphQL request: who calls, with which token, and the request's
own DataLoaders (never shared between requests, so nothing leaks or grows)."""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import grpc
from strawberry.dataloader import DataLoader
from vigie_runtime.errors import AppError, Unauthenticated
from vigie_runtime.grpc_client import bearer
from vigie_runtime.principal import Principal

from vigie_gateway.clients import ServiceClients
from vigie_gateway.errors import from_app_error, from_grpc
from vigie_gateway.live.hub import EventHub

T = TypeVar("T")


@dataclass
class Context:
    clients: ServiceClients
    token: str | None
    principal: Principal | None
    refusal: AppError | None = None
    loaders: dict[str, DataLoader[Any, Any]] = field(default_factory=dict)
    # Cookies or headers the response should carry (unused by most resolvers).
    response_headers: dict[str, str] = field(default_factory=dict)
    # WebSocket only: the `connection_init` payload, and the hub live subscriptions listen to.
    connection_params: dict[str, Any] | None = None
    hub: EventHub | None = None
    # A response cache's background refresh of an answer it served stale (response_cache.py).
    cache_refresh: bool = False

    def who(self) -> Principal:
        if self.refusal is not None:
            raise from_app_error(self.refusal)
        if self.principal is None:
            raise from_app_error(Unauthenticated("TOKEN_MISSING", "log in first"))
        return self.principal

    @property
    def tenant_name(self) -> str:
        return f"tenants/{self.who().tenant}"

    def metadata(self) -> tuple[tuple[str, str], ...]:
        return bearer(self.token) if self.token else ()

    async def call(self, rpc: Callable[..., Awaitable[T]], request: Any) -> T:
        """Calls a service with the caller's token; gRPC failures become GraphQL errors."""
        try:
            return await rpc(request, metadata=self.metadata())
        except grpc.aio.AioRpcError as error:
            raise from_grpc(error) from None

    def loader(
        self, key: str, load: Callable[[list[Any]], Awaitable[list[Any]]]
    ) -> DataLoader[Any, Any]:
        if key not in self.loaders:
            self.loaders[key] = DataLoader(load_fn=load)
        return self.loaders[key]
