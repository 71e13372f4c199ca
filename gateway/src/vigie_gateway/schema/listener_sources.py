"""The listener's sources: listed and read with their health, created, changed (only the fields
given, with the etag) and deleted."""

from typing import Annotated, Any

import strawberry
from google.protobuf.field_mask_pb2 import FieldMask
from vigie.listener.v1 import listener_pb2 as rpc
from vigie.listener.v1 import resources_pb2 as pb
from vigie_runtime.errors import InvalidArgument

from vigie_gateway.context import Context
from vigie_gateway.errors import from_app_error
from vigie_gateway.schema.common import (
    After,
    Connection,
    DeleteInput,
    First,
    NamedOrderBy,
    NodeId,
    connection,
    list_options,
    page_request,
    total,
    wire,
)
from vigie_gateway.schema.listener_sources_types import Source
from vigie_gateway.schema.listener_types import SourceKind
from vigie_gateway.schema.payloads import payload_mutation

Info = strawberry.Info[Context, None]
UNSET: Any = strawberry.UNSET


@strawberry.input(description="A Bluesky firehose's settings.")
class BlueskySettingsInput:
    relay_url: str | None = strawberry.field(default=UNSET, description="ws:// or wss://.")


@strawberry.input(description="A Mastodon stream's settings.")
class MastodonSettingsInput:
    instance_url: str | None = strawberry.field(default=UNSET, description="http(s)://.")
    stream: str | None = strawberry.field(
        default=UNSET, description="public, public:local, hashtag."
    )
    hashtag: str | None = strawberry.field(
        default=UNSET, description="The hashtag followed, without #, for the HASHTAG stream."
    )


@strawberry.input(description="An RSS or Atom feed's settings.")
class RssSettingsInput:
    feed_url: str | None = strawberry.field(default=UNSET, description="http(s)://.")
    poll_interval_seconds: int | None = strawberry.field(default=UNSET, description="0 to 86400.")


@strawberry.input(description="A partner push source's settings.")
class PartnerSettingsInput:
    partner_client_id: strawberry.ID | None = strawberry.field(
        default=UNSET,
        description="The partner client allowed to push into this source (global id).",
    )


@strawberry.input(description="A replay source's settings.")
class ReplaySettingsInput:
    uri: str | None = strawberry.field(default=UNSET, description="file:// or an absolute path.")
    speed: float | None = strawberry.field(
        default=UNSET, description="How much faster than real time the recording is replayed."
    )


@strawberry.input(description="The settings of exactly one kind; the kind follows from it.")
class SourceSettingsInput:
    bluesky: BlueskySettingsInput | None = strawberry.field(
        default=UNSET, description="Settings of a Bluesky source."
    )
    mastodon: MastodonSettingsInput | None = strawberry.field(
        default=UNSET, description="Settings of a Mastodon source."
    )
    rss: RssSettingsInput | None = strawberry.field(
        default=UNSET, description="Settings of an RSS feed."
    )
    partner: PartnerSettingsInput | None = strawberry.field(
        default=UNSET, description="Settings of a partner push source."
    )
    replay: ReplaySettingsInput | None = strawberry.field(
        default=UNSET, description="Settings of a replayed recording."
    )


@strawberry.input(description="A new source for the group.")
class CreateSourceInput:
    display_name: str = strawberry.field(description="Its name as people see it.")
    settings: SourceSettingsInput = strawberry.field(
        description="The settings of its kind (exactly one kind)."
    )
    enabled: bool = strawberry.field(default=True, description="Whether it is in use.")
    request_id: str | None = strawberry.field(default=None, description="Makes retries safe.")


@strawberry.input(description="Changes to a source; fields left out stay as they are.")
class UpdateSourceInput:
    id: strawberry.ID = strawberry.field(
        description="Global id: tenants/{tenant}/sources/{source}."
    )
    etag: str | None = strawberry.field(
        default=None, description="Pass back on update/delete: a stale one is refused (CONFLICT)."
    )
    display_name: str | None = strawberry.field(
        default=UNSET, description="Its name as people see it."
    )
    enabled: bool | None = strawberry.field(default=UNSET, description="Whether it is in use.")
    settings: SourceSettingsInput | None = strawberry.field(
        default=UNSET, description="Of the source's own kind; only the fields given change."
    )


# GraphQL names that differ from the proto's.
_PROTO_FIELDS = {"partner_client_id": "partner_client"}


def _given(value: object) -> bool:
    return value is not UNSET and value is not None


def _settings(given: SourceSettingsInput, message: pb.Source) -> list[str]:
    """Copies the one kind's given settings into `message`; returns their mask paths."""
    kinds = [
        k for k in ("bluesky", "mastodon", "rss", "partner", "replay") if _given(getattr(given, k))
    ]
    if len(kinds) != 1:
        raise from_app_error(
            InvalidArgument(
                "input.settings", "set exactly one of bluesky, mastodon, rss, partner, replay"
            )
        )
    which = kinds[0]
    config = getattr(message, which)
    config.SetInParent()  # the kind is chosen even when no field of it is given
    paths = []
    for field, value in vars(getattr(given, which)).items():
        if _given(value):
            name = _PROTO_FIELDS.get(field, field)
            setattr(config, name, str(value) if name == "partner_client" else value)
            paths.append(f"{which}.{name}")
    return paths


@strawberry.input(description="Which sources to list.")
class SourceFilter:
    kind: SourceKind | None = strawberry.field(default=None, description="Only this kind.")


@strawberry.type
class ListenerSourcesQuery:
    @strawberry.field(
        description="The group's sources with their health, by id unless `orderBy` says otherwise."
    )
    async def sources(
        self,
        info: Info,
        first: First = 50,
        after: After = None,
        filter: Annotated[
            SourceFilter | None, strawberry.argument(description="Only the items that match.")
        ] = None,
        order_by: NamedOrderBy = None,
    ) -> Connection[Source]:
        given = filter or SourceFilter()
        ctx = info.context
        page = page_request(first, after)
        request = rpc.ListSourcesRequest(
            parent=ctx.tenant_name, page_size=page.size, page_token=page.token,
            kind=wire(given.kind) if given.kind else pb.SOURCE_KIND_UNSPECIFIED,
            **list_options(info, order_by),
        )  # fmt: skip
        response = await ctx.call(ctx.clients.listener.ListSources, request)
        return connection(
            [Source.of(s) for s in response.sources],
            response.next_page_token,
            page,
            total(info, response),
        )

    @strawberry.field(description="One source with its health.")
    async def source(self, info: Info, id: NodeId) -> Source:
        ctx = info.context
        request = rpc.GetSourceRequest(name=str(id))
        return Source.of(await ctx.call(ctx.clients.listener.GetSource, request))


@strawberry.input(description="The source to delete.")
class DeleteSourceInput(DeleteInput):
    pass


@strawberry.type
class ListenerSourcesMutation:
    @payload_mutation(
        source=Source, description="Adds a source (group admins, social media managers)."
    )
    async def create_source(self, info: Info, input: CreateSourceInput) -> Source:
        ctx = info.context
        message = pb.Source(display_name=input.display_name, enabled=input.enabled)
        _settings(input.settings, message)
        request = rpc.CreateSourceRequest(
            parent=ctx.tenant_name, source=message, request_id=input.request_id or ""
        )
        return Source.of(await ctx.call(ctx.clients.listener.CreateSource, request))

    @payload_mutation(
        source=Source, description="Changes a source; a new address starts it afresh."
    )
    async def update_source(self, info: Info, input: UpdateSourceInput) -> Source:
        ctx = info.context
        message = pb.Source(name=str(input.id), etag=input.etag or "")
        paths = [f for f in ("display_name", "enabled") if _given(getattr(input, f))]
        for field in paths:
            setattr(message, field, getattr(input, field))
        if isinstance(input.settings, SourceSettingsInput):
            paths += _settings(input.settings, message)
        request = rpc.UpdateSourceRequest(source=message, update_mask=FieldMask(paths=paths))
        return Source.of(await ctx.call(ctx.clients.listener.UpdateSource, request))

    @payload_mutation(deleted_id=strawberry.ID, description="Deletes a source; its mentions stay.")
    async def delete_source(self, info: Info, input: DeleteSourceInput) -> strawberry.ID:
        ctx = info.context
        request = rpc.DeleteSourceRequest(name=str(input.id), etag=input.etag or "")
        await ctx.call(ctx.clients.listener.DeleteSource, request)
        return input.id
