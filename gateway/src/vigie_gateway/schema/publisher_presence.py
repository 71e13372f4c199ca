"""Presence on the publisher's side through GraphQL: the public accounts a brand tracks
(competitors', unconnected own ones) and the slots proposed for a post on an account."""

from datetime import datetime
from typing import Annotated

import strawberry
from google.protobuf.field_mask_pb2 import FieldMask
from vigie.publisher.v1 import publisher_pb2 as rpc
from vigie.publisher.v1 import resources_pb2 as pb
from vigie_runtime.errors import InvalidArgument

from vigie_gateway.context import Context
from vigie_gateway.errors import from_app_error
from vigie_gateway.schema.common import (
    After,
    Connection,
    DeleteInput,
    First,
    Node,
    NodeId,
    connection,
    list_options,
    moment,
    page_request,
    total,
    wire,
)
from vigie_gateway.schema.payloads import payload_mutation
from vigie_gateway.schema.publisher_orders import TrackedAccountOrderBy
from vigie_gateway.schema.publisher_types import Network

Info = strawberry.Info[Context, None]


@strawberry.type(description="A public account measured for a brand, without publishing to it.")
class TrackedAccount(Node):
    id: strawberry.ID = strawberry.field(
        description="Global id: tenants/{tenant}/brands/{brand}/trackedAccounts/{tracked_account}."
    )
    brand_id: strawberry.ID = strawberry.field(
        description="A global id: tenants/{tenant}/brands/{brand}: the brand (often a competitor "
        "brand) the account speaks for."
    )
    network: Network = strawberry.field(description="The social network.")
    handle: str = strawberry.field(
        description='E.g. "@rival.bsky.social" or "@rival@mastodon.social".'
    )
    instance_url: str = strawberry.field(description="Its server (Mastodon instance, PDS).")
    display_name: str = strawberry.field(description="Its name as people see it.")
    last_snapshot_at: datetime | None = strawberry.field(
        description="When its statistics were last read."
    )
    last_error: str = strawberry.field(description="Why the last read failed; empty if it did not.")
    etag: str = strawberry.field(
        description="Pass back on update/delete: a stale one is refused (CONFLICT)."
    )

    @classmethod
    def of(cls, m: pb.TrackedAccount) -> "TrackedAccount":
        last = moment(m.last_snapshot_time) if m.HasField("last_snapshot_time") else None
        return cls(
            id=strawberry.ID(m.name), brand_id=strawberry.ID(m.brand), network=Network(m.network),
            handle=m.handle, instance_url=m.instance_url, display_name=m.display_name,
            last_snapshot_at=last, last_error=m.last_error, etag=m.etag,
        )  # fmt: skip


@strawberry.type(description="A free moment proposed for a post, and why.")
class ProposedSlot:
    at: datetime = strawberry.field(description="The proposed moment (UTC).")
    local_time: str = strawberry.field(description="The moment in the account's time zone.")
    score: float = strawberry.field(description="Best-times score (1.0 = the account's mean).")
    basis: str = strawberry.field(description="own_history, network_aggregate or queue.")
    reason: str = strawberry.field(description="A sentence for people: which basis, which score.")

    @classmethod
    def of(cls, m: rpc.ProposedSlot) -> "ProposedSlot":
        return cls(at=moment(m.time), local_time=m.local_time, score=m.score, basis=m.basis,
                   reason=m.reason)  # fmt: skip


@strawberry.input(description="A public account to track for a brand.")
class TrackAccountInput:
    brand_id: strawberry.ID = strawberry.field(
        description="A global id: tenants/{tenant}/brands/{brand}: the brand (often a competitor "
        "brand) the account speaks for."
    )
    network: Network = strawberry.field(description="The social network.")
    handle: str = strawberry.field(
        description='E.g. "@rival.bsky.social" or "@rival@mastodon.social".'
    )
    instance_url: str = strawberry.field(
        default="",
        description="The server to read it from where the network has many (a Mastodon instance, "
        "a PDS); empty for the network's default.",
    )
    display_name: str = strawberry.field(default="", description="Its name as people see it.")
    request_id: str = strawberry.field(
        default="",
        description="Makes retries safe: the same id returns what the first request made.",
    )


@strawberry.input(description="What changes on a tracked account (fields left out stay).")
class UpdateTrackedAccountInput:
    id: strawberry.ID = strawberry.field(
        description="Global id: tenants/{tenant}/brands/{brand}/trackedAccounts/{tracked_account}."
    )
    etag: str = strawberry.field(
        default="", description="Pass back on update/delete: a stale one is refused (CONFLICT)."
    )
    display_name: str | None = strawberry.field(
        default=None, description="Its name as people see it."
    )
    instance_url: str | None = strawberry.field(
        default=None,
        description="The server to read it from where the network has many (a Mastodon instance, "
        "a PDS); empty for the network's default.",
    )


@strawberry.input(description="Which of the brand's tracked accounts to list.")
class TrackedAccountFilter:
    network: Network | None = strawberry.field(default=None, description="Only this network.")


@strawberry.type
class PublisherPresenceQuery:
    @strawberry.field(description="A brand's tracked accounts, oldest first.")
    async def tracked_accounts(
        self,
        info: Info,
        brand_id: Annotated[
            strawberry.ID,
            strawberry.argument(description="The brand's global id (`tenants/{t}/brands/{b}`)."),
        ],
        first: First = 50,
        after: After = None,
        filter: Annotated[
            TrackedAccountFilter | None,
            strawberry.argument(description="Only the items that match."),
        ] = None,
        order_by: TrackedAccountOrderBy = None,
    ) -> Connection[TrackedAccount]:
        given = filter or TrackedAccountFilter()
        ctx = info.context
        page = page_request(first, after)
        request = rpc.ListTrackedAccountsRequest(
            parent=str(brand_id), page_size=page.size, page_token=page.token,
            network=wire(given.network) if given.network else pb.NETWORK_UNSPECIFIED,
            **list_options(info, order_by),
        )  # fmt: skip
        found = await ctx.call(ctx.clients.publisher.ListTrackedAccounts, request)
        return connection(
            [TrackedAccount.of(a) for a in found.tracked_accounts],
            found.next_page_token,
            page,
            total(info, found),
        )

    @strawberry.field(description="One tracked account.")
    async def tracked_account(self, info: Info, id: NodeId) -> TrackedAccount:
        ctx = info.context
        request = rpc.GetTrackedAccountRequest(name=str(id))
        return TrackedAccount.of(await ctx.call(ctx.clients.publisher.GetTrackedAccount, request))

    @strawberry.field(
        description="The best free moments to post on a social account between `from` and `to` "
        "(at most 31 days), best first: by best-times score, else the queue's slots."
    )
    async def proposed_slots(
        self,
        info: Info,
        account: Annotated[
            strawberry.ID, strawberry.argument(description="The social account's global id.")
        ],
        from_: Annotated[
            datetime,
            strawberry.argument(name="from", description="Start of the window (inclusive)."),
        ],
        to: Annotated[datetime, strawberry.argument(description="End of the window (exclusive).")],
        first: First = 5,
    ) -> list[ProposedSlot]:
        ctx = info.context
        request = rpc.ProposeSlotsRequest(social_account=str(account), page_size=first)
        request.start_time.FromDatetime(from_)
        request.end_time.FromDatetime(to)
        found = await ctx.call(ctx.clients.publisher.ProposeSlots, request)
        return [ProposedSlot.of(s) for s in found.slots]


@strawberry.input(description="The trackedAccount to delete.")
class DeleteTrackedAccountInput(DeleteInput):
    pass


@strawberry.type
class PublisherPresenceMutation:
    @payload_mutation(
        tracked_account=TrackedAccount, description="Starts tracking a public account (managers)."
    )
    async def track_account(self, info: Info, input: TrackAccountInput) -> TrackedAccount:
        ctx = info.context
        account = pb.TrackedAccount(
            network=wire(input.network), handle=input.handle, instance_url=input.instance_url,
            display_name=input.display_name,
        )  # fmt: skip
        request = rpc.CreateTrackedAccountRequest(
            parent=str(input.brand_id), tracked_account=account, request_id=input.request_id
        )
        created = await ctx.call(ctx.clients.publisher.CreateTrackedAccount, request)
        return TrackedAccount.of(created)

    @payload_mutation(
        tracked_account=TrackedAccount,
        description="Changes a tracked account's name or server (managers).",
    )
    async def update_tracked_account(
        self, info: Info, input: UpdateTrackedAccountInput
    ) -> TrackedAccount:
        ctx = info.context
        account = pb.TrackedAccount(name=str(input.id), etag=input.etag)
        paths: list[str] = []
        if input.display_name is not None:
            account.display_name, paths = input.display_name, [*paths, "display_name"]
        if input.instance_url is not None:
            account.instance_url, paths = input.instance_url, [*paths, "instance_url"]
        if not paths:  # an empty mask would mean "every field", clearing both
            raise from_app_error(InvalidArgument("input", "give displayName or instanceUrl"))
        request = rpc.UpdateTrackedAccountRequest(
            tracked_account=account, update_mask=FieldMask(paths=paths)
        )
        updated = await ctx.call(ctx.clients.publisher.UpdateTrackedAccount, request)
        return TrackedAccount.of(updated)

    @payload_mutation(deleted_id=strawberry.ID, description="Stops tracking an account (managers).")
    async def delete_tracked_account(
        self, info: Info, input: DeleteTrackedAccountInput
    ) -> strawberry.ID:
        ctx = info.context
        request = rpc.DeleteTrackedAccountRequest(name=str(input.id), etag=input.etag or "")
        await ctx.call(ctx.clients.publisher.DeleteTrackedAccount, request)
        return input.id
