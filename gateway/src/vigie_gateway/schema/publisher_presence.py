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
from vigie_gateway.schema.common import Connection, DeletePayload, moment, page_info, page_size
from vigie_gateway.schema.publisher_types import Network

Info = strawberry.Info[Context, None]


@strawberry.type(description="A public account measured for a brand, without publishing to it.")
class TrackedAccount:
    id: strawberry.ID
    brand_id: strawberry.ID
    network: Network
    handle: str
    instance_url: str = strawberry.field(description="Its server (Mastodon instance, PDS).")
    display_name: str
    last_snapshot_at: datetime | None = strawberry.field(
        description="When its statistics were last read."
    )
    last_error: str = strawberry.field(description="Why the last read failed; empty if it did not.")
    etag: str

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
    at: datetime
    local_time: str = strawberry.field(description="The moment in the account's time zone.")
    score: float = strawberry.field(description="Best-times score (1.0 = the account's mean).")
    basis: str = strawberry.field(description="own_history, network_aggregate or queue.")
    reason: str

    @classmethod
    def of(cls, m: rpc.ProposedSlot) -> "ProposedSlot":
        return cls(at=moment(m.time), local_time=m.local_time, score=m.score, basis=m.basis,
                   reason=m.reason)  # fmt: skip


@strawberry.input(description="A public account to track for a brand.")
class TrackAccountInput:
    brand_id: strawberry.ID
    network: Network
    handle: str
    instance_url: str = ""
    display_name: str = ""
    request_id: str = ""


@strawberry.input(description="What changes on a tracked account (fields left out stay).")
class UpdateTrackedAccountInput:
    id: strawberry.ID
    etag: str = ""
    display_name: str | None = None
    instance_url: str | None = None


@strawberry.type
class PublisherPresenceQuery:
    @strawberry.field(description="A brand's tracked accounts, oldest first.")
    async def tracked_accounts(
        self, info: Info, brand_id: strawberry.ID, network: Network | None = None,
        first: int = 50, after: str | None = None,
    ) -> Connection[TrackedAccount]:  # fmt: skip
        ctx = info.context
        request = rpc.ListTrackedAccountsRequest(
            parent=str(brand_id), page_size=page_size(first), page_token=after or "",
            network=network.value if network else pb.NETWORK_UNSPECIFIED,
        )  # fmt: skip
        found = await ctx.call(ctx.clients.publisher.ListTrackedAccounts, request)
        return Connection(
            nodes=[TrackedAccount.of(a) for a in found.tracked_accounts],
            page_info=page_info(found.next_page_token),
        )

    @strawberry.field(description="One tracked account.")
    async def tracked_account(self, info: Info, id: strawberry.ID) -> TrackedAccount:
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
        account: strawberry.ID,
        from_: Annotated[datetime, strawberry.argument(name="from")],
        to: datetime,
        first: int = 5,
    ) -> list[ProposedSlot]:
        ctx = info.context
        request = rpc.ProposeSlotsRequest(social_account=str(account), page_size=first)
        request.start_time.FromDatetime(from_)
        request.end_time.FromDatetime(to)
        found = await ctx.call(ctx.clients.publisher.ProposeSlots, request)
        return [ProposedSlot.of(s) for s in found.slots]


@strawberry.type
class PublisherPresenceMutation:
    @strawberry.mutation(description="Starts tracking a public account (managers).")
    async def track_account(self, info: Info, input: TrackAccountInput) -> TrackedAccount:
        ctx = info.context
        account = pb.TrackedAccount(
            network=input.network.value, handle=input.handle, instance_url=input.instance_url,
            display_name=input.display_name,
        )  # fmt: skip
        request = rpc.CreateTrackedAccountRequest(
            parent=str(input.brand_id), tracked_account=account, request_id=input.request_id
        )
        created = await ctx.call(ctx.clients.publisher.CreateTrackedAccount, request)
        return TrackedAccount.of(created)

    @strawberry.mutation(description="Changes a tracked account's name or server (managers).")
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

    @strawberry.mutation(description="Stops tracking an account (managers).")
    async def delete_tracked_account(
        self, info: Info, id: strawberry.ID, etag: str | None = None
    ) -> DeletePayload:
        ctx = info.context
        request = rpc.DeleteTrackedAccountRequest(name=str(id), etag=etag or "")
        await ctx.call(ctx.clients.publisher.DeleteTrackedAccount, request)
        return DeletePayload(deleted_id=id)
