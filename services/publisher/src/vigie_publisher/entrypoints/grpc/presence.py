"""The presence part of PublisherService: tracked accounts, snapshots on demand, proposed
slots. Mixed into `PublisherServicer`, whose constructor sets `_uow` and `_snapshotter`."""

from typing import TypeAlias

import grpc
from google.protobuf.empty_pb2 import Empty
from vigie.publisher.v1 import publisher_pb2 as rpc
from vigie.publisher.v1 import resources_pb2 as pb
from vigie_runtime.field_masks import paths_to_update
from vigie_runtime.principal import current_principal
from vigie_runtime.uow import Transactions

from vigie_publisher.app import slot_proposals, tracked_accounts
from vigie_publisher.app.snapshot_requests import target_named
from vigie_publisher.app.snapshots import Snapshotter
from vigie_publisher.app.tracked_views import tracked_account as view

Context: TypeAlias = grpc.aio.ServicerContext


class PresenceRpcs(Transactions):
    _snapshotter: Snapshotter

    async def CreateTrackedAccount(
        self, request: rpc.CreateTrackedAccountRequest, context: Context
    ) -> pb.TrackedAccount:
        who = current_principal()
        source, parent, request_id = request.tracked_account, request.parent, request.request_id
        return view(
            await self._write(lambda u: tracked_accounts.create(u, who, parent, source, request_id))
        )

    async def GetTrackedAccount(
        self, request: rpc.GetTrackedAccountRequest, context: Context
    ) -> pb.TrackedAccount:
        who = current_principal()
        return view(await self._read(lambda u: tracked_accounts.get(u, who, request.name)))

    async def ListTrackedAccounts(
        self, request: rpc.ListTrackedAccountsRequest, context: Context
    ) -> rpc.ListTrackedAccountsResponse:
        who = current_principal()
        listed = await self._read(lambda u: tracked_accounts.list_for_brand(u, who, request))
        return rpc.ListTrackedAccountsResponse(
            tracked_accounts=[view(r) for r in listed.rows],
            next_page_token=listed.next_page_token,
            total_size=listed.total_size,
        )

    async def BatchGetTrackedAccounts(
        self, request: rpc.BatchGetTrackedAccountsRequest, context: Context
    ) -> rpc.BatchGetTrackedAccountsResponse:
        who = current_principal()
        rows = await self._read(
            lambda u: tracked_accounts.batch_get(u, who, request.parent, request.names)
        )
        return rpc.BatchGetTrackedAccountsResponse(tracked_accounts=[view(r) for r in rows])

    async def UpdateTrackedAccount(
        self, request: rpc.UpdateTrackedAccountRequest, context: Context
    ) -> pb.TrackedAccount:
        who = current_principal()
        paths = paths_to_update(request.update_mask, tracked_accounts.UPDATABLE)
        source = request.tracked_account
        return view(await self._write(lambda u: tracked_accounts.update(u, who, source, paths)))

    async def DeleteTrackedAccount(
        self, request: rpc.DeleteTrackedAccountRequest, context: Context
    ) -> Empty:
        who = current_principal()
        await self._write(lambda u: tracked_accounts.delete(u, who, request.name, request.etag))
        return Empty()

    async def SnapshotAccount(
        self, request: rpc.SnapshotAccountRequest, context: Context
    ) -> pb.AccountSnapshot:
        who = current_principal()
        target = await self._read(lambda u: target_named(u, who, request.account))
        # The read happens outside any transaction; the snapshotter writes its own.
        return await self._snapshotter.snapshot_now(target)

    async def ProposeSlots(
        self, request: rpc.ProposeSlotsRequest, context: Context
    ) -> rpc.ProposeSlotsResponse:
        who = current_principal()
        return await self._read(lambda u: slot_proposals.propose_slots(u, who, request))
