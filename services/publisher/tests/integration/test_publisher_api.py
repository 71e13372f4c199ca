"""The publisher's gRPC API as a client sees it: roles checked, tenants kept apart, bad input
refused with a reason, the whole way from an account to a scheduled post's publications."""

from datetime import UTC, datetime, timedelta

import grpc
from vigie.publisher.v1 import publisher_pb2 as rpc
from vigie.publisher.v1 import resources_pb2 as pb
from vigie_runtime.principal import Role

from .api_support import Api, account, post, refused
from .conftest import BRAND_NAME, FRANCE, OTHER_TENANT, TENANT, account_source


async def test_from_an_account_to_a_scheduled_posts_publications(api: Api) -> None:
    x = await account(api)
    writer, manager = api.as_(Role.COMMUNITY_MANAGER, "w"), api.as_(Role.SOCIAL_MEDIA_MANAGER, "m")
    await api.stub.CreateApprovalPolicy(
        rpc.CreateApprovalPolicyRequest(
            parent=f"tenants/{TENANT}",
            approval_policy=pb.ApprovalPolicy(
                subsidiary=FRANCE, stages=[pb.ApprovalStage(approver_role=2)]
            ),
        ),
        metadata=api.as_(Role.GROUP_ADMIN),
    )
    made = await api.stub.CreatePost(
        rpc.CreatePostRequest(parent=BRAND_NAME, post=post([x])), metadata=writer
    )
    submitted = await api.stub.SubmitPost(rpc.SubmitPostRequest(name=made.name), metadata=writer)
    assert submitted.status == pb.POST_STATUS_SUBMITTED
    await refused(
        api.stub.ApprovePost(rpc.ApprovePostRequest(name=made.name), metadata=writer),
        grpc.StatusCode.PERMISSION_DENIED,
        "SELF_APPROVAL",
    )
    approved = await api.stub.ApprovePost(
        rpc.ApprovePostRequest(name=made.name, comment="ok"), metadata=manager
    )
    assert [s.action for s in approved.approval_trail] == [1, 2]
    request = rpc.SchedulePostRequest(name=made.name)
    request.schedule_time.FromDatetime(datetime.now(UTC) + timedelta(hours=3))
    scheduled = await api.stub.SchedulePost(request, metadata=writer)
    assert scheduled.status == pb.POST_STATUS_SCHEDULED
    listed = await api.stub.ListPublications(
        rpc.ListPublicationsRequest(parent=made.name), metadata=writer
    )
    assert [p.state for p in listed.publications] == [pb.PUBLICATION_STATE_SCHEDULED]


async def test_bad_input_is_refused_with_its_reason(api: Api) -> None:
    x = await account(api)
    writer = api.as_(Role.COMMUNITY_MANAGER)
    create = api.stub.CreatePost
    bad = grpc.StatusCode.INVALID_ARGUMENT
    await refused(
        create(
            rpc.CreatePostRequest(parent=BRAND_NAME, post=pb.Post(social_accounts=[x])),
            metadata=writer,
        ),
        bad,
        "EMPTY_POST",
    )
    unknown = f"{BRAND_NAME}/socialAccounts/nope"
    await refused(
        create(rpc.CreatePostRequest(parent=BRAND_NAME, post=post([unknown])), metadata=writer),
        bad,
        "UNKNOWN_ACCOUNT",
    )
    big = {"uri": "https://cdn.example.com/a.jpg", "mime_type": "image/jpeg", "size_bytes": 10**9}
    await refused(
        create(rpc.CreatePostRequest(parent=BRAND_NAME, post=post([x], **big)), metadata=writer),
        bad,
        "MEDIA_TOO_LARGE",
    )
    for local in ("file:///etc/passwd", "/var/lib/vigie/keys.json", "images/a.jpg"):
        medium = {"uri": local, "mime_type": "image/jpeg", "size_bytes": 10}
        await refused(
            create(
                rpc.CreatePostRequest(parent=BRAND_NAME, post=post([x], **medium)), metadata=writer
            ),
            bad,
            "MEDIA_URI",
        )
    await refused(
        create(rpc.CreatePostRequest(parent=BRAND_NAME, post=post([x], "\ufffe")), metadata=writer),
        bad,
        "INVALID_CHARACTERS",
    )
    await refused(
        create(rpc.CreatePostRequest(parent="garbage", post=post([x])), metadata=writer),
        bad,
        "INVALID_ARGUMENT",
    )
    made = await create(rpc.CreatePostRequest(parent=BRAND_NAME, post=post([x])), metadata=writer)
    await api.stub.SubmitPost(rpc.SubmitPostRequest(name=made.name), metadata=writer)
    past = rpc.SchedulePostRequest(name=made.name)
    past.schedule_time.FromDatetime(datetime.now(UTC) - timedelta(days=1))
    await refused(api.stub.SchedulePost(past, metadata=writer), bad, "PAST_DATE")


async def test_roles_and_tenants_are_checked_on_every_call(api: Api) -> None:
    x = await account(api)
    await refused(
        api.stub.CreateSocialAccount(
            rpc.CreateSocialAccountRequest(
                parent=BRAND_NAME, social_account=account_source(pb.NETWORK_X, "@y")
            ),  # type: ignore[arg-type]
            metadata=api.as_(Role.COMMUNITY_MANAGER),
        ),
        grpc.StatusCode.PERMISSION_DENIED,
        "ROLE_REQUIRED",
    )
    stranger = api.as_(Role.GROUP_ADMIN, tenant=OTHER_TENANT)
    not_found = grpc.StatusCode.NOT_FOUND
    await refused(
        api.stub.GetSocialAccount(rpc.GetSocialAccountRequest(name=x), metadata=stranger),
        not_found,
        "SOCIAL_ACCOUNT_NOT_FOUND",
    )
    await refused(
        api.stub.CreatePost(
            rpc.CreatePostRequest(parent=BRAND_NAME, post=post([x])), metadata=stranger
        ),
        not_found,
        "BRAND_NOT_FOUND",
    )
    await refused(
        api.stub.HoldQueue(rpc.HoldQueueRequest(name=f"{BRAND_NAME}/queue"), metadata=stranger),
        not_found,
        "BRAND_NOT_FOUND",
    )
    await refused(
        api.stub.ReleaseQueue(
            rpc.ReleaseQueueRequest(name=f"{BRAND_NAME}/queue"),
            metadata=api.as_(Role.COMMUNITY_MANAGER),
        ),
        grpc.StatusCode.PERMISSION_DENIED,
        "ROLE_REQUIRED",
    )


async def test_validate_text_previews_a_networks_verdict(api: Api) -> None:
    answer = await api.stub.ValidateText(
        rpc.ValidateTextRequest(network=pb.NETWORK_X, text="a" * 281),
        metadata=api.as_(Role.ANALYST),
    )
    assert (answer.valid, answer.limit, answer.problems[0].code) == (False, 280, "TOO_LONG")
