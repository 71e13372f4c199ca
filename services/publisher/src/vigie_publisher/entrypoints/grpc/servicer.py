"""PublisherService over gRPC: request -> handler (which owns the transaction) -> response."""

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import TypeAlias

import grpc
from google.protobuf.empty_pb2 import Empty
from vigie.publisher.v1 import publisher_pb2 as rpc
from vigie.publisher.v1 import publisher_pb2_grpc
from vigie.publisher.v1 import resources_pb2 as pb
from vigie_runtime.field_masks import paths_to_update
from vigie_runtime.grpc_server import ServiceRegistration
from vigie_runtime.principal import Principal, current_principal
from vigie_runtime.uow import UnitOfWork

from vigie_publisher.adapters.credentials import CredentialVault
from vigie_publisher.adapters.orm import PostRow
from vigie_publisher.app import (
    accounts,
    approvals,
    policies,
    policy_changes,
    post_changes,
    post_reads,
    posts,
    publications,
    queues,
    scheduling,
    text_checks,
    views,
)
from vigie_publisher.app.common import utc
from vigie_publisher.app.dispatch.outcomes import publication_view
from vigie_publisher.app.snapshots import Snapshotter
from vigie_publisher.entrypoints.grpc.presence import PresenceRpcs
from vigie_publisher.entrypoints.grpc.replies import RepliesRpcs

SERVICE_NAME = "vigie.publisher.v1.PublisherService"
Context: TypeAlias = grpc.aio.ServicerContext
Move: TypeAlias = Callable[[UnitOfWork, Principal, str, str, str], Awaitable[PostRow]]


class PublisherServicer(PresenceRpcs, RepliesRpcs, publisher_pb2_grpc.PublisherServiceServicer):
    def __init__(
        self, uow: Callable[[], UnitOfWork], vault: CredentialVault, snapshotter: Snapshotter
    ) -> None:
        self._uow, self._vault, self._snapshotter = uow, vault, snapshotter

    # Social accounts ---------------------------------------------------------------------
    async def CreateSocialAccount(
        self, request: rpc.CreateSocialAccountRequest, context: Context
    ) -> pb.SocialAccount:
        who = current_principal()
        row = await self._write(
            lambda u: accounts.create(
                u, self._vault, who, request.parent, request.social_account, request.request_id
            )
        )
        return views.account(row)

    async def GetSocialAccount(
        self, request: rpc.GetSocialAccountRequest, context: Context
    ) -> pb.SocialAccount:
        who = current_principal()
        return views.account(await self._read(lambda u: accounts.get(u, who, request.name)))

    async def ListSocialAccounts(
        self, request: rpc.ListSocialAccountsRequest, context: Context
    ) -> rpc.ListSocialAccountsResponse:
        who = current_principal()
        listed = await self._read(lambda u: accounts.list_for_brand(u, who, request))
        return rpc.ListSocialAccountsResponse(
            social_accounts=[views.account(r) for r in listed.rows],
            next_page_token=listed.next_page_token,
            total_size=listed.total_size,
        )

    async def BatchGetSocialAccounts(
        self, request: rpc.BatchGetSocialAccountsRequest, context: Context
    ) -> rpc.BatchGetSocialAccountsResponse:
        who = current_principal()
        rows = await self._read(lambda u: accounts.batch_get(u, who, request.parent, request.names))
        return rpc.BatchGetSocialAccountsResponse(social_accounts=[views.account(r) for r in rows])

    async def UpdateSocialAccount(
        self, request: rpc.UpdateSocialAccountRequest, context: Context
    ) -> pb.SocialAccount:
        who = current_principal()
        paths = paths_to_update(request.update_mask, accounts.UPDATABLE)
        row = await self._write(
            lambda u: accounts.update(u, self._vault, who, request.social_account, paths)
        )
        return views.account(row)

    async def DeleteSocialAccount(
        self, request: rpc.DeleteSocialAccountRequest, context: Context
    ) -> Empty:
        who = current_principal()
        await self._write(lambda u: accounts.delete(u, who, request.name, request.etag))
        return Empty()

    # Posts and their approval ------------------------------------------------------------
    async def CreatePost(self, request: rpc.CreatePostRequest, context: Context) -> pb.Post:
        who = current_principal()
        row = await self._write(
            lambda u: posts.create(u, who, request.parent, request.post, request.request_id)
        )
        return views.post(row)

    async def GetPost(self, request: rpc.GetPostRequest, context: Context) -> pb.Post:
        who = current_principal()

        async def read(u: UnitOfWork) -> pb.Post:
            row = await posts.get(u, who, request.name)
            return views.post(row, await posts.trail(u, row))

        return await self._read(read)

    async def ListPosts(
        self, request: rpc.ListPostsRequest, context: Context
    ) -> rpc.ListPostsResponse:
        who = current_principal()
        listed = await self._read(lambda u: post_reads.list_posts(u, who, request))
        return rpc.ListPostsResponse(
            posts=[views.post(r) for r in listed.rows],
            next_page_token=listed.next_page_token,
            total_size=listed.total_size,
        )

    async def BatchGetPosts(
        self, request: rpc.BatchGetPostsRequest, context: Context
    ) -> rpc.BatchGetPostsResponse:
        who = current_principal()
        rows = await self._read(
            lambda u: post_reads.batch_get(u, who, request.parent, request.names)
        )
        return rpc.BatchGetPostsResponse(posts=[views.post(r) for r in rows])

    async def UpdatePost(self, request: rpc.UpdatePostRequest, context: Context) -> pb.Post:
        who = current_principal()
        paths = paths_to_update(request.update_mask, post_changes.UPDATABLE)

        async def update(u: UnitOfWork) -> pb.Post:
            row = await post_changes.update(u, who, request.post, paths)
            return views.post(row, await posts.trail(u, row))

        return await self._write(update)

    async def DeletePost(self, request: rpc.DeletePostRequest, context: Context) -> Empty:
        who = current_principal()
        await self._write(
            lambda u: post_changes.delete_or_cancel(u, who, request.name, request.etag)
        )
        return Empty()

    async def _moved(self, step: Move, name: str, etag: str, comment: str) -> pb.Post:
        who = current_principal()

        async def move(u: UnitOfWork) -> pb.Post:
            row = await step(u, who, name, etag, comment)
            return views.post(row, await posts.trail(u, row))

        return await self._write(move)

    async def SubmitPost(self, request: rpc.SubmitPostRequest, context: Context) -> pb.Post:
        return await self._moved(approvals.submit, request.name, request.etag, request.comment)

    async def ApprovePost(self, request: rpc.ApprovePostRequest, context: Context) -> pb.Post:
        return await self._moved(approvals.approve, request.name, request.etag, request.comment)

    async def RejectPost(self, request: rpc.RejectPostRequest, context: Context) -> pb.Post:
        return await self._moved(approvals.reject, request.name, request.etag, request.comment)

    async def SchedulePost(self, request: rpc.SchedulePostRequest, context: Context) -> pb.Post:
        who = current_principal()
        when: datetime | None = None
        if request.HasField("schedule_time"):
            when = utc(request.schedule_time.ToDatetime())
        row, warnings = await self._write(
            lambda u: scheduling.schedule(u, who, request.name, request.etag, when)
        )
        if warnings:
            await context.send_initial_metadata(
                (("vigie-schedule-warnings", " | ".join(warnings)),)
            )
        return views.post(row)

    async def ValidateText(
        self, request: rpc.ValidateTextRequest, context: Context
    ) -> rpc.ValidateTextResponse:
        current_principal()  # any authenticated caller
        return text_checks.validate_text(request.network, request.text)

    async def CreateApprovalPolicy(
        self, request: rpc.CreateApprovalPolicyRequest, context: Context
    ) -> pb.ApprovalPolicy:
        who = current_principal()
        row = await self._write(
            lambda u: policies.create(
                u, who, request.parent, request.approval_policy, request.request_id
            )
        )
        return policy_changes.view(row)

    async def GetApprovalPolicy(
        self, request: rpc.GetApprovalPolicyRequest, context: Context
    ) -> pb.ApprovalPolicy:
        who = current_principal()
        row = await self._read(lambda u: policy_changes.get(u, who, request.name))
        return policy_changes.view(row)

    async def ListApprovalPolicies(
        self, request: rpc.ListApprovalPoliciesRequest, context: Context
    ) -> rpc.ListApprovalPoliciesResponse:
        who = current_principal()
        listed = await self._read(lambda u: policy_changes.list_(u, who, request))
        return rpc.ListApprovalPoliciesResponse(
            approval_policies=[policy_changes.view(r) for r in listed.rows],
            next_page_token=listed.next_page_token,
            total_size=listed.total_size,
        )

    async def UpdateApprovalPolicy(
        self, request: rpc.UpdateApprovalPolicyRequest, context: Context
    ) -> pb.ApprovalPolicy:
        who = current_principal()
        paths = paths_to_update(request.update_mask, policy_changes.UPDATABLE)
        row = await self._write(
            lambda u: policy_changes.update(u, who, request.approval_policy, paths)
        )
        return policy_changes.view(row)

    async def DeleteApprovalPolicy(
        self, request: rpc.DeleteApprovalPolicyRequest, context: Context
    ) -> Empty:
        who = current_principal()
        await self._write(lambda u: policy_changes.delete(u, who, request.name, request.etag))
        return Empty()

    # Publications and queues -------------------------------------------------------------
    async def GetPublication(
        self, request: rpc.GetPublicationRequest, context: Context
    ) -> pb.Publication:
        who = current_principal()
        return await self._read(lambda u: publications.get(u, who, request.name))

    async def ListPublications(
        self, request: rpc.ListPublicationsRequest, context: Context
    ) -> rpc.ListPublicationsResponse:
        who = current_principal()
        listed = await self._read(lambda u: publications.list_(u, who, request))
        return rpc.ListPublicationsResponse(
            publications=[publication_view(r) for r in listed.rows],
            next_page_token=listed.next_page_token,
            total_size=listed.total_size,
        )

    async def BatchGetPublications(
        self, request: rpc.BatchGetPublicationsRequest, context: Context
    ) -> rpc.BatchGetPublicationsResponse:
        who = current_principal()
        found = await self._read(
            lambda u: publications.batch_get(u, who, request.parent, request.names)
        )
        return rpc.BatchGetPublicationsResponse(publications=found)

    async def GetQueue(self, request: rpc.GetQueueRequest, context: Context) -> pb.Queue:
        who = current_principal()
        return await self._read(lambda u: queues.get(u, who, request.name))

    async def UpdateQueue(self, request: rpc.UpdateQueueRequest, context: Context) -> pb.Queue:
        who = current_principal()
        paths_to_update(request.update_mask, ("slots",))

        async def update(u: UnitOfWork) -> pb.Queue:
            by_account: dict[str, list[pb.QueueSlot]] = {}
            for slot in request.queue.slots:
                by_account.setdefault(slot.social_account, []).append(slot)
            for account, slots in by_account.items():
                await queues.set_slots(u, who, account, slots)
            return await queues.get(u, who, request.queue.name)

        return await self._write(update)

    async def HoldQueue(self, request: rpc.HoldQueueRequest, context: Context) -> pb.Queue:
        who = current_principal()
        return await self._write(
            lambda u: queues.hold_by_member(u, who, request.name, request.reason)
        )

    async def ReleaseQueue(self, request: rpc.ReleaseQueueRequest, context: Context) -> pb.Queue:
        who = current_principal()
        return await self._write(lambda u: queues.release(u, who, request.name))


def registration(servicer: PublisherServicer) -> ServiceRegistration:
    return ServiceRegistration(
        SERVICE_NAME,
        lambda server: publisher_pb2_grpc.add_PublisherServiceServicer_to_server(servicer, server),
    )
