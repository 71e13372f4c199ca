"""The rest of the publisher's gRPC API: posts listed and batch-read, drafts changed by field
mask, posts deleted or their schedule cancelled, approval policies read/changed/deleted,
accounts and publications batch-read; each within its tenant only."""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import grpc
from google.protobuf.field_mask_pb2 import FieldMask
from sqlalchemy import update
from vigie.publisher.v1 import publisher_pb2 as rpc
from vigie.publisher.v1 import resources_pb2 as pb
from vigie_publisher.adapters.orm import PublicationRow
from vigie_runtime.principal import Role
from vigie_runtime.uow import UnitOfWork

from .api_support import Api, account, post, refused
from .conftest import BRAND_NAME, FRANCE, OTHER_TENANT, TENANT, account_source

TENANT_NAME, STRANGER_TENANT = f"tenants/{TENANT}", f"tenants/{OTHER_TENANT}"
NOT_FOUND, PRECONDITION = grpc.StatusCode.NOT_FOUND, grpc.StatusCode.FAILED_PRECONDITION


async def draft(api: Api, accounts: list[str], text: str, member: str = "w") -> pb.Post:
    return await api.stub.CreatePost(
        rpc.CreatePostRequest(parent=BRAND_NAME, post=post(accounts, text)),
        metadata=api.as_(Role.COMMUNITY_MANAGER, member),
    )


async def scheduled(api: Api, name: str, hours: int = 3) -> pb.Post:
    writer = api.as_(Role.COMMUNITY_MANAGER, "w")
    await api.stub.SubmitPost(rpc.SubmitPostRequest(name=name), metadata=writer)
    request = rpc.SchedulePostRequest(name=name)
    request.schedule_time.FromDatetime(datetime.now(UTC) + timedelta(hours=hours))
    return await api.stub.SchedulePost(request, metadata=writer)


def stranger(api: Api) -> Any:
    return api.as_(Role.GROUP_ADMIN, tenant=OTHER_TENANT)


def foreign(name: str) -> str:
    """The same ids under the other tenant's name."""
    return name.replace(TENANT_NAME, STRANGER_TENANT, 1)


async def test_posts_are_listed_by_filter_in_keyset_pages_within_the_tenant(api: Api) -> None:
    x = await account(api)
    reader = api.as_(Role.ANALYST)
    made = [await draft(api, [x], f"Post {i}", member=f"w{i % 2}") for i in range(3)]
    await scheduled(api, made[1].name)
    first = await api.stub.ListPosts(
        rpc.ListPostsRequest(parent=BRAND_NAME, page_size=2), metadata=reader
    )
    rest = await api.stub.ListPosts(
        rpc.ListPostsRequest(parent=BRAND_NAME, page_size=2, page_token=first.next_page_token),
        metadata=reader,
    )
    assert [p.name for p in [*first.posts, *rest.posts]] == [p.name for p in made]
    assert rest.next_page_token == ""
    only = rpc.ListPostsRequest(parent=TENANT_NAME, statuses=[pb.POST_STATUS_SCHEDULED])
    only.schedule_start_time.FromDatetime(datetime.now(UTC) + timedelta(hours=2))
    only.schedule_end_time.FromDatetime(datetime.now(UTC) + timedelta(hours=4))
    found = await api.stub.ListPosts(only, metadata=reader)
    assert [p.name for p in found.posts] == [made[1].name]
    by_author = rpc.ListPostsRequest(parent=BRAND_NAME, author=f"{TENANT_NAME}/members/w0")
    found = await api.stub.ListPosts(by_author, metadata=reader)
    assert [p.name for p in found.posts] == [made[0].name, made[2].name]
    await refused(
        api.stub.ListPosts(
            rpc.ListPostsRequest(parent=BRAND_NAME, page_token=first.next_page_token[:-2] + "xx"),
            metadata=reader,
        ),
        grpc.StatusCode.INVALID_ARGUMENT,
        "INVALID_ARGUMENT",
    )
    theirs = await api.stub.ListPosts(
        rpc.ListPostsRequest(parent=STRANGER_TENANT), metadata=stranger(api)
    )
    assert list(theirs.posts) == []
    await refused(
        api.stub.ListPosts(rpc.ListPostsRequest(parent=BRAND_NAME), metadata=stranger(api)),
        NOT_FOUND,
        "BRAND_NOT_FOUND",
    )


async def test_batch_reads_keep_the_order_asked_and_never_cross_tenants(api: Api) -> None:
    x = await account(api)
    reader = api.as_(Role.ANALYST)
    one, two = await draft(api, [x], "One"), await draft(api, [x], "Two")
    got = await api.stub.BatchGetPosts(
        rpc.BatchGetPostsRequest(parent=TENANT_NAME, names=[two.name, one.name]), metadata=reader
    )
    assert [p.name for p in got.posts] == [two.name, one.name]
    accounts = await api.stub.BatchGetSocialAccounts(
        rpc.BatchGetSocialAccountsRequest(parent=TENANT_NAME, names=[x]), metadata=reader
    )
    assert [a.name for a in accounts.social_accounts] == [x]
    await scheduled(api, one.name)
    listed = await api.stub.ListPublications(
        rpc.ListPublicationsRequest(parent=one.name), metadata=reader
    )
    names = [p.name for p in listed.publications]
    publications = await api.stub.BatchGetPublications(
        rpc.BatchGetPublicationsRequest(parent=TENANT_NAME, names=names), metadata=reader
    )
    assert [p.name for p in publications.publications] == names
    for call, request, reason in (
        (api.stub.BatchGetPosts, rpc.BatchGetPostsRequest, "POST_NOT_FOUND"),
        (api.stub.BatchGetSocialAccounts, rpc.BatchGetSocialAccountsRequest, "SOCIAL_ACCOUNT"),
        (api.stub.BatchGetPublications, rpc.BatchGetPublicationsRequest, "PUBLICATION"),
    ):
        asked = {"POST_NOT_FOUND": [one.name], "SOCIAL_ACCOUNT": [x], "PUBLICATION": names}[reason]
        code = reason if reason.endswith("NOT_FOUND") else f"{reason}_NOT_FOUND"
        for forged in (asked, [foreign(n) for n in asked]):
            await refused(
                call(request(parent=STRANGER_TENANT, names=forged), metadata=stranger(api)),
                NOT_FOUND,
                code,
            )


async def test_a_draft_changes_by_field_mask_and_stops_changing_once_submitted(api: Api) -> None:
    x = await account(api)
    writer = api.as_(Role.COMMUNITY_MANAGER, "w")
    made = await draft(api, [x], "Firts draft")
    changed = await api.stub.UpdatePost(
        rpc.UpdatePostRequest(
            post=pb.Post(
                name=made.name, etag=made.etag, variants=post([x], "First draft").variants
            ),
            update_mask=FieldMask(paths=["variants"]),
        ),
        metadata=writer,
    )
    assert (changed.variants[0].text, changed.etag) == ("First draft", str(int(made.etag) + 1))
    too_long = pb.Post(name=made.name, variants=post([x], "\ufffe").variants)
    await refused(
        api.stub.UpdatePost(
            rpc.UpdatePostRequest(post=too_long, update_mask=FieldMask(paths=["variants"])),
            metadata=writer,
        ),
        grpc.StatusCode.INVALID_ARGUMENT,
        "INVALID_CHARACTERS",
    )
    stale = pb.Post(name=made.name, etag=made.etag, variants=changed.variants)
    await refused(
        api.stub.UpdatePost(
            rpc.UpdatePostRequest(post=stale, update_mask=FieldMask(paths=["variants"])),
            metadata=writer,
        ),
        grpc.StatusCode.ABORTED,
        "ETAG_MISMATCH",
    )
    await api.stub.SubmitPost(rpc.SubmitPostRequest(name=made.name), metadata=writer)
    await refused(
        api.stub.UpdatePost(
            rpc.UpdatePostRequest(
                post=pb.Post(name=made.name, variants=changed.variants),
                update_mask=FieldMask(paths=["variants"]),
            ),
            metadata=writer,
        ),
        PRECONDITION,
        "POST_NOT_DRAFT",
    )
    await refused(
        api.stub.UpdatePost(
            rpc.UpdatePostRequest(
                post=pb.Post(name=foreign(made.name)), update_mask=FieldMask(paths=["variants"])
            ),
            metadata=stranger(api),
        ),
        NOT_FOUND,
        "POST_NOT_FOUND",
    )


async def test_a_draft_is_deleted_and_a_scheduled_post_is_cancelled_back_to_draft(
    api: Api, uow: Callable[[], UnitOfWork]
) -> None:
    x = await account(api)
    writer = api.as_(Role.COMMUNITY_MANAGER, "w")
    gone = await draft(api, [x], "Never mind")
    await refused(
        api.stub.DeletePost(rpc.DeletePostRequest(name=foreign(gone.name)), metadata=stranger(api)),
        NOT_FOUND,
        "POST_NOT_FOUND",
    )
    await api.stub.DeletePost(rpc.DeletePostRequest(name=gone.name), metadata=writer)
    await refused(
        api.stub.GetPost(rpc.GetPostRequest(name=gone.name), metadata=writer),
        NOT_FOUND,
        "POST_NOT_FOUND",
    )
    kept = await scheduled(api, (await draft(api, [x], "Not today")).name)
    await api.stub.DeletePost(rpc.DeletePostRequest(name=kept.name), metadata=writer)
    back = await api.stub.GetPost(rpc.GetPostRequest(name=kept.name), metadata=writer)
    assert back.status == pb.POST_STATUS_DRAFT and not back.HasField("schedule_time")
    listed = await api.stub.ListPublications(
        rpc.ListPublicationsRequest(parent=kept.name), metadata=writer
    )
    assert list(listed.publications) == []
    busy = await scheduled(api, (await draft(api, [x], "On its way")).name)
    async with uow() as u:  # a dispatcher has claimed it
        await u.session.execute(update(PublicationRow).values(state="publishing"))
        await u.commit()
    await refused(
        api.stub.DeletePost(rpc.DeletePostRequest(name=busy.name), metadata=writer),
        PRECONDITION,
        "POST_PUBLISHING",
    )


async def test_approval_policies_are_read_changed_and_deleted_by_managers_of_their_scope(
    api: Api,
) -> None:
    admin, manager = api.as_(Role.GROUP_ADMIN), api.as_(Role.SOCIAL_MEDIA_MANAGER, "m")
    made = await api.stub.CreateApprovalPolicy(
        rpc.CreateApprovalPolicyRequest(
            parent=TENANT_NAME,
            approval_policy=pb.ApprovalPolicy(
                display_name="France", subsidiary=FRANCE, stages=[pb.ApprovalStage(approver_role=2)]
            ),
        ),
        metadata=admin,
    )
    read = await api.stub.GetApprovalPolicy(
        rpc.GetApprovalPolicyRequest(name=made.name), metadata=api.as_(Role.ANALYST)
    )
    assert (read.display_name, read.subsidiary, read.required_approvals) == ("France", FRANCE, 1)
    listed = await api.stub.ListApprovalPolicies(
        rpc.ListApprovalPoliciesRequest(parent=TENANT_NAME, subsidiary=FRANCE), metadata=manager
    )
    assert [p.name for p in listed.approval_policies] == [made.name]
    two_steps = pb.ApprovalPolicy(
        name=made.name,
        etag=read.etag,
        stages=[pb.ApprovalStage(approver_role=2), pb.ApprovalStage(approver_role=1)],
    )
    changed = await api.stub.UpdateApprovalPolicy(
        rpc.UpdateApprovalPolicyRequest(
            approval_policy=two_steps, update_mask=FieldMask(paths=["stages"])
        ),
        metadata=manager,
    )
    assert changed.required_approvals == 2 and changed.display_name == "France"
    await refused(
        api.stub.UpdateApprovalPolicy(
            rpc.UpdateApprovalPolicyRequest(
                approval_policy=two_steps, update_mask=FieldMask(paths=["display_name"])
            ),
            metadata=manager,
        ),
        grpc.StatusCode.ABORTED,
        "ETAG_MISMATCH",
    )
    await refused(
        api.stub.DeleteApprovalPolicy(
            rpc.DeleteApprovalPolicyRequest(name=made.name),
            metadata=api.as_(Role.COMMUNITY_MANAGER),
        ),
        grpc.StatusCode.PERMISSION_DENIED,
        "ROLE_REQUIRED",
    )
    for name in (made.name, foreign(made.name)):
        await refused(
            api.stub.GetApprovalPolicy(
                rpc.GetApprovalPolicyRequest(name=name), metadata=stranger(api)
            ),
            NOT_FOUND,
            "APPROVAL_POLICY_NOT_FOUND",
        )
    await api.stub.DeleteApprovalPolicy(
        rpc.DeleteApprovalPolicyRequest(name=made.name), metadata=manager
    )
    await refused(
        api.stub.GetApprovalPolicy(rpc.GetApprovalPolicyRequest(name=made.name), metadata=admin),
        NOT_FOUND,
        "APPROVAL_POLICY_NOT_FOUND",
    )


async def test_publications_are_listed_by_brand_state_and_account_in_pages(api: Api) -> None:
    first_account = await account(api)
    second = await api.stub.CreateSocialAccount(
        rpc.CreateSocialAccountRequest(
            parent=BRAND_NAME,
            social_account=account_source(pb.NETWORK_X, "@lumiere_jp"),  # type: ignore[arg-type]
        ),
        metadata=api.as_(Role.SOCIAL_MEDIA_MANAGER),
    )
    for text in ("One", "Two", "Three"):
        await scheduled(api, (await draft(api, [first_account, second.name], text)).name)
    reader = api.as_(Role.ANALYST)
    page_one = await api.stub.ListPublications(
        rpc.ListPublicationsRequest(parent=BRAND_NAME, page_size=4), metadata=reader
    )
    page_two = await api.stub.ListPublications(
        rpc.ListPublicationsRequest(
            parent=BRAND_NAME, page_size=4, page_token=page_one.next_page_token
        ),
        metadata=reader,
    )
    assert (len(page_one.publications), len(page_two.publications)) == (4, 2)
    assert page_two.next_page_token == ""
    theirs = rpc.ListPublicationsRequest(parent=TENANT_NAME, social_account=second.name)
    found = await api.stub.ListPublications(theirs, metadata=reader)
    assert {p.social_account for p in found.publications} == {second.name}
    assert len(found.publications) == 3
    published = rpc.ListPublicationsRequest(
        parent=TENANT_NAME, states=[pb.PUBLICATION_STATE_PUBLISHED]
    )
    assert list((await api.stub.ListPublications(published, metadata=reader)).publications) == []
    await refused(
        api.stub.ListPublications(
            rpc.ListPublicationsRequest(parent=TENANT_NAME, states=[99]), metadata=reader
        ),
        grpc.StatusCode.INVALID_ARGUMENT,
        "INVALID_ARGUMENT",
    )
    await refused(
        api.stub.ListPublications(
            rpc.ListPublicationsRequest(parent=BRAND_NAME), metadata=stranger(api)
        ),
        NOT_FOUND,
        "BRAND_NOT_FOUND",
    )
    mine = rpc.ListPublicationsRequest(parent=STRANGER_TENANT)
    assert list((await api.stub.ListPublications(mine, metadata=stranger(api))).publications) == []
