"""Sorted publisher lists (order_by) across pages, totals with the list's filter, and page
tokens bound to their order; another tenant's posts are never listed nor counted."""

from datetime import UTC, datetime, timedelta
from typing import Any

import grpc
import pytest
from vigie.publisher.v1 import publisher_pb2 as rpc
from vigie.publisher.v1 import resources_pb2 as pb
from vigie_runtime.principal import Role

from .api_support import Api, account, post, refused
from .conftest import BRAND_NAME, OTHER_TENANT, account_source

OTHER_BRAND = f"tenants/{OTHER_TENANT}/brands/lumiere"


async def every_post(api: Api, order_by: str, **filters: Any) -> list[str]:
    """Every post's text, 2 per page, in the order asked."""
    texts: list[str] = []
    token = ""
    while True:
        page = await api.stub.ListPosts(
            rpc.ListPostsRequest(
                parent=BRAND_NAME, page_size=2, page_token=token, order_by=order_by, **filters
            ),
            metadata=api.as_(Role.ANALYST),
        )
        texts.extend(p.variants[0].text for p in page.posts)
        token = page.next_page_token
        if not token:
            return texts


async def make_posts(api: Api) -> list[str]:
    """Five drafts; 'P1', 'P3' and 'P4' scheduled in 3, 1 and 2 hours."""
    x = await account(api)
    writer = api.as_(Role.COMMUNITY_MANAGER, "w")
    names = []
    for index in range(5):
        created = await api.stub.CreatePost(
            rpc.CreatePostRequest(parent=BRAND_NAME, post=post([x], f"P{index}")), metadata=writer
        )
        names.append(created.name)
    for index, hours in ((1, 3), (3, 1), (4, 2)):
        await api.stub.SubmitPost(rpc.SubmitPostRequest(name=names[index]), metadata=writer)
        request = rpc.SchedulePostRequest(name=names[index])
        request.schedule_time.FromDatetime(datetime.now(UTC) + timedelta(hours=hours))
        await api.stub.SchedulePost(request, metadata=writer)
    return names


@pytest.mark.parametrize(
    ("order_by", "expected"),
    [
        ("schedule_time", ["P3", "P4", "P1", "P0", "P2"]),  # unscheduled last, by id
        ("schedule_time desc", ["P2", "P0", "P1", "P4", "P3"]),
        ("create_time", ["P0", "P1", "P2", "P3", "P4"]),
        ("create_time desc", ["P4", "P3", "P2", "P1", "P0"]),
    ],
)
async def test_posts_sorted_both_ways_come_once_each_in_order_across_pages(
    api: Api, order_by: str, expected: list[str]
) -> None:
    await make_posts(api)
    assert await every_post(api, order_by) == expected


async def test_a_token_from_one_order_is_refused_with_another(api: Api) -> None:
    await make_posts(api)
    reader = api.as_(Role.ANALYST)
    first = await api.stub.ListPosts(
        rpc.ListPostsRequest(parent=BRAND_NAME, page_size=2, order_by="schedule_time"),
        metadata=reader,
    )
    await refused(
        api.stub.ListPosts(
            rpc.ListPostsRequest(
                parent=BRAND_NAME,
                page_size=2,
                page_token=first.next_page_token,
                order_by="schedule_time desc",
            ),
            metadata=reader,
        ),
        grpc.StatusCode.INVALID_ARGUMENT,
        "INVALID_ARGUMENT",
    )
    await refused(
        api.stub.ListPosts(
            rpc.ListPostsRequest(parent=BRAND_NAME, order_by="likes desc"), metadata=reader
        ),
        grpc.StatusCode.INVALID_ARGUMENT,
        "INVALID_ARGUMENT",
    )


async def test_the_total_counts_the_filter_within_the_tenant(api: Api) -> None:
    await make_posts(api)
    theirs = api.as_(Role.GROUP_ADMIN, tenant=OTHER_TENANT)
    their_account = await api.stub.CreateSocialAccount(
        rpc.CreateSocialAccountRequest(
            parent=OTHER_BRAND,
            social_account=account_source(pb.NETWORK_X, "@rival"),  # type: ignore[arg-type]
        ),
        metadata=theirs,
    )
    for text in ("R1", "R2"):
        await api.stub.CreatePost(
            rpc.CreatePostRequest(parent=OTHER_BRAND, post=post([their_account.name], text)),
            metadata=theirs,
        )
    reader = api.as_(Role.ANALYST)
    every = await api.stub.ListPosts(
        rpc.ListPostsRequest(parent=BRAND_NAME, page_size=1, show_total_size=True),
        metadata=reader,
    )
    assert every.total_size == 5
    scheduled = await api.stub.ListPosts(
        rpc.ListPostsRequest(
            parent=BRAND_NAME,
            page_size=1,
            statuses=[pb.POST_STATUS_SCHEDULED],
            show_total_size=True,
        ),
        metadata=reader,
    )
    assert scheduled.total_size == 3
    unasked = await api.stub.ListPosts(rpc.ListPostsRequest(parent=BRAND_NAME), metadata=reader)
    assert unasked.total_size == 0
    their_count = await api.stub.ListPosts(
        rpc.ListPostsRequest(parent=f"tenants/{OTHER_TENANT}", show_total_size=True),
        metadata=theirs,
    )
    assert their_count.total_size == 2
