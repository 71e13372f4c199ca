"""Searching creators: filters combine with AND, sorts are stable, pages are keyset pages that
never repeat or skip a creator, and similar creators come most similar first."""

import grpc
import pytest
from vigie.partnerships.v1 import partnerships_pb2 as rpc
from vigie.partnerships.v1 import resources_pb2 as pb

from .conftest import OTHER, TENANT, Service

PARENT = f"tenants/{TENANT}"


def creator(
    handle: str,
    followers: int,
    engagements: float,
    topics: list[str],
    languages: list[str],
    countries: list[str],
    network: str = "bluesky",
) -> pb.Creator:
    return pb.Creator(
        display_name=handle.title(),
        accounts=[
            pb.CreatorAccount(
                network=network,
                handle=handle,
                network_id=f"id-{handle}",
                followers_count=followers,
                following_count=100,
                posts_count=500,
                mean_engagements_per_post=engagements,
            )
        ],
        topics=topics,
        languages=languages,
        countries=countries,
    )


PEOPLE = [
    creator("anna", 50_000, 1_250, ["coffee", "travel"], ["fr"], ["FR"]),  # 2.5 %
    creator("bruno", 20_000, 60, ["coffee"], ["fr", "en"], ["BE"]),  # 0.3 %
    creator("chloe", 8_000, 400, ["tea"], ["en"], ["GB"], network="mastodon"),  # 5 %
    creator("dario", 200_000, 3_000, ["coffee", "food"], ["it"], ["IT"]),  # 1.5 %
    creator("emma", 45_000, 1_100, ["coffee", "travel"], ["fr"], ["FR"]),  # 2.4 %
]


@pytest.fixture
async def people(service: Service) -> dict[str, str]:
    answer = await service.stub.ImportCreators(
        rpc.ImportCreatorsRequest(parent=PARENT, creators=PEOPLE), metadata=service.admin()
    )
    return {c.accounts[0].handle: c.name for c in answer.creators}


async def found(service: Service, **criteria: object) -> list[str]:
    answer = await service.stub.SearchCreators(
        rpc.SearchCreatorsRequest(parent=PARENT, **criteria),  # type: ignore[arg-type]
        metadata=service.admin(),
    )
    return [c.accounts[0].handle for c in answer.creators]


async def test_filters_combine_and_the_default_sort_is_by_followers(
    service: Service, people: dict[str, str]
) -> None:
    assert await found(service) == ["dario", "anna", "emma", "bruno", "chloe"]
    assert await found(service, topics=["coffee"], languages=["fr"]) == ["anna", "emma", "bruno"]
    assert await found(service, countries=["fr"], min_followers=46_000) == ["anna"]
    assert await found(service, networks=["mastodon"]) == ["chloe"]
    assert await found(service, query="CHLO") == ["chloe"]
    assert await found(service, max_followers=20_000) == ["bruno", "chloe"]


async def test_engagement_rate_and_authenticity_filter_and_sort(
    service: Service, people: dict[str, str]
) -> None:
    assert await found(service, min_engagement_rate=0.02, order_by="engagement_rate desc") == [
        "chloe",
        "anna",
        "emma",
    ]
    # bruno engages at 0.3 % = 0.12x the micro benchmark: an inactive audience, -20
    assert await found(service, min_authenticity=90) == ["dario", "anna", "emma", "chloe"]
    assert (await found(service, order_by="authenticity desc"))[-1] == "bruno"


async def test_pages_follow_each_other_without_repeats(
    service: Service, people: dict[str, str]
) -> None:
    seen: list[str] = []
    token = ""
    while True:
        answer = await service.stub.SearchCreators(
            rpc.SearchCreatorsRequest(
                parent=PARENT, page_size=2, page_token=token, order_by="overall desc"
            ),
            metadata=service.admin(),
        )
        seen += [c.accounts[0].handle for c in answer.creators]
        token = answer.next_page_token
        if not token:
            break
    assert sorted(seen) == sorted(people) and len(seen) == len(set(seen))


async def test_a_page_token_of_another_query_is_refused(
    service: Service, people: dict[str, str]
) -> None:
    first = await service.stub.SearchCreators(
        rpc.SearchCreatorsRequest(parent=PARENT, page_size=1), metadata=service.admin()
    )
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await service.stub.SearchCreators(
            rpc.SearchCreatorsRequest(
                parent=PARENT, page_size=1, page_token=first.next_page_token, topics=["tea"]
            ),
            metadata=service.admin(),
        )
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT


async def test_bad_criteria_are_refused_with_the_field(service: Service) -> None:
    for criteria in (
        {"order_by": "followers asc"},
        {"min_followers": 10, "max_followers": 5},
        {"min_authenticity": 101},
        {"max_negative_share": 0.2},
    ):
        with pytest.raises(grpc.aio.AioRpcError) as caught:
            await found(service, **criteria)
        assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT


async def test_similar_creators_share_topics_and_audience_size(
    service: Service, people: dict[str, str]
) -> None:
    # anna: coffee+travel, fr, FR, 50k -> emma (same everything, 45k) before bruno and dario
    similar = await found(service, similar_to=people["anna"])
    assert similar[0] == "emma"
    assert "anna" not in similar and "chloe" not in similar


async def test_another_tenant_finds_none_of_these_creators(
    service: Service, people: dict[str, str]
) -> None:
    answer = await service.stub.SearchCreators(
        rpc.SearchCreatorsRequest(parent=f"tenants/{OTHER}"), metadata=service.admin(OTHER)
    )
    assert not answer.creators
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await service.stub.SearchCreators(
            rpc.SearchCreatorsRequest(parent=f"tenants/{OTHER}", similar_to=people["anna"]),
            metadata=service.admin(OTHER),
        )
    assert caught.value.code() == grpc.StatusCode.NOT_FOUND
