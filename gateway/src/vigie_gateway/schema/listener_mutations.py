"""Changing the listener: listening queries."""

import strawberry
from google.protobuf.field_mask_pb2 import FieldMask
from vigie.listener.v1 import listener_pb2 as rpc
from vigie.listener.v1 import resources_pb2 as pb

from vigie_gateway.context import Context
from vigie_gateway.schema.common import DeleteInput
from vigie_gateway.schema.listener_types import ListeningQuery
from vigie_gateway.schema.payloads import payload_mutation

Info = strawberry.Info[Context, None]


@strawberry.input(description="A new listening query for a brand or competitor.")
class CreateListeningQueryInput:
    brand_id: strawberry.ID = strawberry.field(
        description="The brand the query listens for: tenants/{tenant}/brands/{brand}."
    )
    display_name: str = strawberry.field(description="Its name as people see it.")
    query: str = strawberry.field(description='E.g. `("café lumière" OR @lumiere) -job`.')
    active: bool = strawberry.field(
        default=True, description="Inactive queries are kept but match nothing."
    )
    languages: list[str] = strawberry.field(
        default_factory=list,
        description='BCP 47 language codes a text must be in to match ("fr", "en"); empty for any '
        "language.",
    )
    request_id: str | None = strawberry.field(default=None, description="Makes retries safe.")


@strawberry.input(description="Changes to a listening query; fields left out stay as they are.")
class UpdateListeningQueryInput:
    id: strawberry.ID = strawberry.field(
        description="Global id: tenants/{tenant}/brands/{brand}/listeningQueries/{listening_query}."
    )
    etag: str | None = strawberry.field(
        default=None,
        description="Optimistic concurrency: Update and Delete fail with ABORTED when it does not "
        "match.",
    )
    display_name: str | None = strawberry.field(
        default=strawberry.UNSET, description="Its name as people see it."
    )
    query: str | None = strawberry.field(
        default=strawberry.UNSET,
        description='The query text, e.g. `("café lumière" OR @lumiere.test) AND NOT recrutement`.',
    )
    active: bool | None = strawberry.field(
        default=strawberry.UNSET, description="Inactive queries are kept but match nothing."
    )
    languages: list[str] | None = strawberry.field(
        default=strawberry.UNSET,
        description='BCP 47 language codes a text must be in to match ("fr", "en"); empty for any '
        "language.",
    )


def _given(value: object) -> bool:
    return value is not strawberry.UNSET and value is not None


@strawberry.input(description="The listeningQuery to delete.")
class DeleteListeningQueryInput(DeleteInput):
    pass


@strawberry.type
class ListenerMutation:
    @payload_mutation(
        listening_query=ListeningQuery,
        description="Creates a listening query; a bad query names its position.",
    )
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

    @payload_mutation(listening_query=ListeningQuery, description="Changes a listening query.")
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

    @payload_mutation(
        deleted_id=strawberry.ID, description="Deletes a listening query; its mentions stay."
    )
    async def delete_listening_query(
        self, info: Info, input: DeleteListeningQueryInput
    ) -> strawberry.ID:
        ctx = info.context
        request = rpc.DeleteListeningQueryRequest(name=str(input.id), etag=input.etag or "")
        await ctx.call(ctx.clients.listener.DeleteListeningQuery, request)
        return input.id
