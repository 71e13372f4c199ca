"""A brand's social accounts and a post's publications, paged in the order asked (order_by),
counted with their filter (total_size), with page tokens bound to their order; another tenant's
rows are never listed nor counted."""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import grpc
import pytest
from sqlalchemy import select
from vigie.publisher.v1 import publisher_pb2 as rpc
from vigie.publisher.v1 import resources_pb2 as pb
from vigie_publisher.adapters.orm import PublicationRow, SocialAccountRow
from vigie_runtime.principal import Role
from vigie_runtime.uow import UnitOfWork

from .api_support import Api, post, refused
from .conftest import BRAND_NAME, OTHER_TENANT, account_source

OTHER_BRAND = f"tenants/{OTHER_TENANT}/brands/lumiere"
# (network, handle, display name) in the order they are connected.
ACCOUNTS = [
    (pb.NETWORK_X, "@delta", "Bravo"),
    (pb.NETWORK_MASTODON, "@alpha", "Delta"),
    (pb.NETWORK_X, "@charlie", "Alpha"),
    (pb.NETWORK_BLUESKY, "@bravo", "Charlie"),
]
# Far enough ahead that no dispatcher finds a publication due during the test.
T0 = datetime.now(UTC).replace(microsecond=0) + timedelta(days=10)


async def connect(api: Api, parent: str, network: int, handle: str, name: str) -> str:
    source: Any = account_source(network, handle)
    source.display_name = name
    manager = api.as_(Role.GROUP_ADMIN, tenant=parent.split("/")[1])
    made = await api.stub.CreateSocialAccount(
        rpc.CreateSocialAccountRequest(parent=parent, social_account=source), metadata=manager
    )
    return str(made.name)


async def every_page(api: Api, list_: Any, request: Any, items: str) -> list[Any]:
    """Every item of the list, 2 per page."""
    found: list[Any] = []
    while True:
        page = await list_(request, metadata=api.as_(Role.ANALYST))
        found.extend(getattr(page, items))
        if not page.next_page_token:
            return found
        request.page_token = page.next_page_token


async def handles(api: Api, order_by: str, **filters: Any) -> list[str]:
    request = rpc.ListSocialAccountsRequest(
        parent=BRAND_NAME, page_size=2, order_by=order_by, **filters
    )
    listed = await every_page(api, api.stub.ListSocialAccounts, request, "social_accounts")
    return [a.handle for a in listed]


@pytest.fixture
async def accounts(api: Api) -> list[str]:
    names = [await connect(api, BRAND_NAME, *account) for account in ACCOUNTS]
    await connect(api, OTHER_BRAND, pb.NETWORK_X, "@rival", "Rival")
    return names


@pytest.mark.parametrize(
    ("order_by", "expected"),
    [
        ("", ["@delta", "@alpha", "@charlie", "@bravo"]),  # by id: as connected
        ("create_time desc", ["@bravo", "@charlie", "@alpha", "@delta"]),
        ("handle", ["@alpha", "@bravo", "@charlie", "@delta"]),
        ("handle desc", ["@delta", "@charlie", "@bravo", "@alpha"]),
        ("display_name", ["@charlie", "@delta", "@bravo", "@alpha"]),
        ("display_name desc", ["@alpha", "@bravo", "@delta", "@charlie"]),
    ],
)
async def test_a_brands_accounts_come_once_each_in_the_order_asked_across_pages(
    api: Api, accounts: list[str], order_by: str, expected: list[str]
) -> None:
    assert await handles(api, order_by) == expected


async def test_accounts_filtered_by_network_and_token_health_are_counted(
    api: Api, accounts: list[str], uow: Callable[[], UnitOfWork]
) -> None:
    async with uow() as u:
        row = await u.session.get_one(SocialAccountRow, accounts[0].rsplit("/", 1)[-1])
        row.token_health = "expired"
        await u.commit()
    assert await handles(api, "handle", network=pb.NETWORK_X) == ["@charlie", "@delta"]
    assert await handles(api, "", token_health=pb.TOKEN_HEALTH_EXPIRED) == ["@delta"]

    async def total(**filters: Any) -> int:
        answer = await api.stub.ListSocialAccounts(
            rpc.ListSocialAccountsRequest(
                parent=BRAND_NAME, page_size=1, show_total_size=True, **filters
            ),
            metadata=api.as_(Role.ANALYST),
        )
        return int(answer.total_size)

    assert await total() == len(ACCOUNTS)  # the rival's account is not counted
    assert await total(network=pb.NETWORK_X) == 2
    assert await total(token_health=pb.TOKEN_HEALTH_OK) == 3
    unasked = await api.stub.ListSocialAccounts(
        rpc.ListSocialAccountsRequest(parent=BRAND_NAME), metadata=api.as_(Role.ANALYST)
    )
    assert unasked.total_size == 0 and len(unasked.social_accounts) == len(ACCOUNTS)


async def test_an_accounts_token_of_one_order_is_refused_with_another(
    api: Api, accounts: list[str]
) -> None:
    reader = api.as_(Role.ANALYST)
    first = await api.stub.ListSocialAccounts(
        rpc.ListSocialAccountsRequest(parent=BRAND_NAME, page_size=2, order_by="handle"),
        metadata=reader,
    )
    for order_by in ("handle desc", "display_name"):
        request = rpc.ListSocialAccountsRequest(
            parent=BRAND_NAME, page_size=2, page_token=first.next_page_token, order_by=order_by
        )
        await refused(
            api.stub.ListSocialAccounts(request, metadata=reader),
            grpc.StatusCode.INVALID_ARGUMENT,
            "INVALID_ARGUMENT",
        )
    await refused(
        api.stub.ListSocialAccounts(
            rpc.ListSocialAccountsRequest(parent=BRAND_NAME, order_by="followers"),
            metadata=reader,
        ),
        grpc.StatusCode.INVALID_ARGUMENT,
        "INVALID_ARGUMENT",
    )


# --- publications -------------------------------------------------------------------------


async def schedule(api: Api, parent: str, accounts: list[str]) -> str:
    """A post to `accounts`, scheduled: one publication each; the post's name."""
    writer = api.as_(Role.GROUP_ADMIN, "w", tenant=parent.split("/")[1])
    made = await api.stub.CreatePost(
        rpc.CreatePostRequest(parent=parent, post=post(accounts, "Hello")), metadata=writer
    )
    await api.stub.SubmitPost(rpc.SubmitPostRequest(name=made.name), metadata=writer)
    request = rpc.SchedulePostRequest(name=made.name)
    request.schedule_time.FromDatetime(datetime.now(UTC) + timedelta(hours=1))
    await api.stub.SchedulePost(request, metadata=writer)
    return str(made.name)


@pytest.fixture
async def publications(api: Api, uow: Callable[[], UnitOfWork]) -> tuple[str, list[str]]:
    """A post on four X accounts; its publications' ids in creation order, each given the
    times below (index i: due at DUE[i] h, published at PUBLISHED[i] h or not, updated at
    UPDATED[i] h after T0). Another tenant's post is scheduled too."""
    x = [await connect(api, BRAND_NAME, pb.NETWORK_X, f"@x{i}", f"X{i}") for i in range(4)]
    name = await schedule(api, BRAND_NAME, x)
    rival = await connect(api, OTHER_BRAND, pb.NETWORK_X, "@rival", "Rival")
    await schedule(api, OTHER_BRAND, [rival])
    async with uow() as u:
        query = select(PublicationRow).where(PublicationRow.post_id == name.rsplit("/", 1)[-1])
        rows = sorted((await u.session.execute(query)).scalars(), key=lambda r: r.id)
        for index, row in enumerate(rows):
            row.due_at = T0 + timedelta(hours=DUE[index])
            published = PUBLISHED[index]
            row.published_at = None if published is None else T0 + timedelta(hours=published)
            row.state = "scheduled" if published is None else "published"
            row.updated_at = T0 + timedelta(hours=UPDATED[index])
        await u.commit()
    return name, [r.id for r in rows]


DUE = [3, 1, 4, 2]
PUBLISHED = [5, None, 2, 7]
UPDATED = [1, 4, 3, 2]


async def publication_ids(api: Api, post_name: str, order_by: str, **filters: Any) -> list[str]:
    request = rpc.ListPublicationsRequest(
        parent=post_name, page_size=2, order_by=order_by, **filters
    )
    listed = await every_page(api, api.stub.ListPublications, request, "publications")
    return [p.name.rsplit("/", 1)[-1] for p in listed]


@pytest.mark.parametrize(
    ("order_by", "expected"),
    [
        ("", [0, 1, 2, 3]),
        ("create_time", [0, 1, 2, 3]),
        ("create_time desc", [3, 2, 1, 0]),
        ("schedule_time", [1, 3, 0, 2]),
        ("schedule_time desc", [2, 0, 3, 1]),
        ("publish_time", [2, 0, 3, 1]),  # the unpublished one last
        ("publish_time desc", [1, 3, 0, 2]),
        ("update_time", [0, 3, 2, 1]),
    ],
)
async def test_a_posts_publications_come_once_each_in_the_order_asked_across_pages(
    api: Api, publications: tuple[str, list[str]], order_by: str, expected: list[int]
) -> None:
    name, ids = publications
    assert await publication_ids(api, name, order_by) == [ids[i] for i in expected]


async def test_publications_are_counted_with_their_filter_within_the_tenant(
    api: Api, publications: tuple[str, list[str]]
) -> None:
    name, ids = publications
    reader = api.as_(Role.ANALYST)

    async def total(parent: str, **filters: Any) -> int:
        answer = await api.stub.ListPublications(
            rpc.ListPublicationsRequest(
                parent=parent, page_size=1, show_total_size=True, **filters
            ),
            metadata=reader,
        )
        return int(answer.total_size)

    assert await total(name) == 4
    assert await total(BRAND_NAME.split("/brands/")[0]) == 4  # the rival's is not counted
    assert await total(name, states=[pb.PUBLICATION_STATE_PUBLISHED]) == 3
    published = await publication_ids(
        api, name, "publish_time desc", states=[pb.PUBLICATION_STATE_PUBLISHED]
    )
    assert published == [ids[3], ids[0], ids[2]]


async def test_a_publications_token_of_one_order_is_refused_with_another(
    api: Api, publications: tuple[str, list[str]]
) -> None:
    name, _ = publications
    reader = api.as_(Role.ANALYST)
    first = await api.stub.ListPublications(
        rpc.ListPublicationsRequest(parent=name, page_size=2, order_by="publish_time"),
        metadata=reader,
    )
    for order_by in ("", "publish_time desc", "schedule_time"):
        await refused(
            api.stub.ListPublications(
                rpc.ListPublicationsRequest(
                    parent=name, page_size=2, page_token=first.next_page_token, order_by=order_by
                ),
                metadata=reader,
            ),
            grpc.StatusCode.INVALID_ARGUMENT,
            "INVALID_ARGUMENT",
        )
