"""Changing the listener: listening queries."""

import strawberry
from google.protobuf.field_mask_pb2 import FieldMask
from vigie.listener.v1 import listener_pb2 as rpc
from vigie.listener.v1 import resources_pb2 as pb

from vigie_gateway.context import Context
from vigie_gateway.schema.common import DeletePayload
from vigie_gateway.schema.listener_types import ListeningQuery

Info = strawberry.Info[Context, None]


@strawberry.input(description="A new listening query for a brand or competitor.")
class CreateListeningQueryInput:
    brand_id: strawberry.ID
    display_name: str
    query: str = strawberry.field(description='E.g. `("café lumière" OR @lumiere) -job`.')
    active: bool = True
    languages: list[str] = strawberry.field(default_factory=list)
    request_id: str | None = strawberry.field(default=None, description="Makes retries safe.")


@strawberry.input(description="Changes to a listening query; fields left out stay as they are.")
class UpdateListeningQueryInput:
    id: strawberry.ID
    etag: str | None = None
    display_name: str | None = strawberry.UNSET
    query: str | None = strawberry.UNSET
    active: bool | None = strawberry.UNSET
    languages: list[str] | None = strawberry.UNSET


def _given(value: object) -> bool:
    return value is not strawberry.UNSET and value is not None


@strawberry.type
class ListenerMutation:
    @strawberry.mutation(description="Creates a listening query; a bad query names its position.")
    async def create_listening_query(
        self, info: Info, input: CreateListeningQueryInput
    ) -> ListeningQuery:
        ctx = info.context
        request = rpc.CreateListeningQueryRequest(
            parent=str(input.brand_id),
            listening_query=pb.ListeningQuery(
                display_name=input.display_name, query=input.query, active=input.active,
                languages=input.languages,
            ),
            request_id=input.request_id or "",
        )  # fmt: skip
        return ListeningQuery.of(await ctx.call(ctx.clients.listener.CreateListeningQuery, request))

    @strawberry.mutation(description="Changes a listening query.")
    async def update_listening_query(
        self, info: Info, input: UpdateListeningQueryInput
    ) -> ListeningQuery:
        ctx = info.context
        message = pb.ListeningQuery(name=str(input.id), etag=input.etag or "")
        paths = []
        for field in ("display_name", "query", "active", "languages"):
            value = getattr(input, field)
            if _given(value):
                paths.append(field)
                if field == "languages":
                    message.languages.extend(value)
                else:
                    setattr(message, field, value)
        request = rpc.UpdateListeningQueryRequest(
            listening_query=message, update_mask=FieldMask(paths=paths)
        )
        return ListeningQuery.of(await ctx.call(ctx.clients.listener.UpdateListeningQuery, request))

    @strawberry.mutation(description="Deletes a listening query; its mentions stay.")
    async def delete_listening_query(
        self, info: Info, id: strawberry.ID, etag: str | None = None
    ) -> DeletePayload:
        ctx = info.context
        request = rpc.DeleteListeningQueryRequest(name=str(id), etag=etag or "")
        await ctx.call(ctx.clients.listener.DeleteListeningQuery, request)
        return DeletePayload(deleted_id=id)
