"""Drafting posts: every variant checked with the place of each problem, accounts of the brand
only, and another tenant's posts out of reach."""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from vigie.publisher.v1 import resources_pb2 as pb
from vigie_publisher.app import posts, text_checks, views
from vigie_runtime.errors import InvalidArgument, NotFound, PermissionDenied
from vigie_runtime.principal import Role
from vigie_runtime.uow import UnitOfWork

from .conftest import BRAND_NAME, OTHER_TENANT, connect_account, person

WRITER = person(Role.COMMUNITY_MANAGER, "writer")


def post(accounts: list[str], *variants: pb.PostVariant) -> pb.Post:
    return pb.Post(variants=variants, social_accounts=accounts)


async def draft(uow: Callable[[], UnitOfWork], source: pb.Post) -> pb.Post:
    async with uow() as u:
        row = await posts.create(u, WRITER, BRAND_NAME, source, "")
        await u.commit()
        return views.post(row)


async def test_a_community_manager_drafts_a_post_with_a_variant_per_network(
    uow: Callable[[], UnitOfWork],
) -> None:
    bsky = await connect_account(uow, pb.NETWORK_BLUESKY, "lumiere.bsky.social")
    x = await connect_account(uow, pb.NETWORK_X, "@lumiere")
    made = await draft(
        uow,
        post(
            [bsky, x],
            pb.PostVariant(network=pb.NETWORK_BLUESKY, text="Bonjour Bluesky", language="fr"),
            pb.PostVariant(
                network=pb.NETWORK_X,
                text="Bonjour X",
                language="fr",
                first_comment="https://lumiere.example",
            ),
        ),
    )
    assert made.status == pb.POST_STATUS_DRAFT
    assert made.author == WRITER.subject
    assert [v.text for v in made.variants] == ["Bonjour Bluesky", "Bonjour X"]


async def test_a_long_bluesky_text_is_stored_as_a_thread(uow: Callable[[], UnitOfWork]) -> None:
    bsky = await connect_account(uow, pb.NETWORK_BLUESKY, "lumiere.bsky.social")
    text = " ".join(["Une phrase qui compte."] * 30)
    made = await draft(uow, post([bsky], pb.PostVariant(network=pb.NETWORK_BLUESKY, text=text)))
    assert len(made.variants[0].thread_parts) >= 2


async def test_every_problem_is_reported_with_its_place(uow: Callable[[], UnitOfWork]) -> None:
    li = await connect_account(uow, pb.NETWORK_LINKEDIN, "lumiere")
    huge = pb.Media(
        uri="https://cdn.example.com/a.jpg", mime_type="image/jpeg", size_bytes=50_000_000
    )
    source = post([li], pb.PostVariant(network=pb.NETWORK_LINKEDIN, text="x" * 3001, media=[huge]))
    with pytest.raises(posts.PostRejected) as caught:
        await draft(uow, source)
    found = [(p.where, p.code, p.start) for p in caught.value.problems]
    assert found == [
        ("variants[0].parts[0].text", "TOO_LONG", 3000),
        ("variants[0].parts[0].media[0]", "MEDIA_TOO_LARGE", 0),
    ]


async def test_empty_posts_unknown_accounts_and_past_deadlines_are_refused(
    uow: Callable[[], UnitOfWork],
) -> None:
    x = await connect_account(uow, pb.NETWORK_X, "@lumiere")
    with pytest.raises(posts.PostRejected) as empty:
        await draft(uow, post([x]))
    assert empty.value.reason == "EMPTY_POST"
    unknown = f"{BRAND_NAME}/socialAccounts/01unknownunknownunknown"
    with pytest.raises(InvalidArgument) as caught:
        await draft(uow, post([unknown], pb.PostVariant(network=pb.NETWORK_X, text="hi")))
    assert caught.value.reason == "UNKNOWN_ACCOUNT"
    late = post([x], pb.PostVariant(network=pb.NETWORK_X, text="hi"))
    late.approval_deadline.FromDatetime(datetime.now(UTC) - timedelta(hours=1))
    with pytest.raises(InvalidArgument) as past:
        await draft(uow, late)
    assert past.value.reason == "PAST_DATE"


async def test_a_group_post_finds_each_account_its_language(uow: Callable[[], UnitOfWork]) -> None:
    await connect_account(uow, pb.NETWORK_X, "@lumiere_fr")
    german = await connect_account(uow, pb.NETWORK_X, "@lumiere_de")
    async with uow() as u:
        from vigie_publisher.adapters.orm import SocialAccountRow

        row = await u.session.get(SocialAccountRow, german.rsplit("/", 1)[1])
        assert row is not None
        row.language = "de"
        await u.commit()
    only_french = post(
        [german],
        pb.PostVariant(network=pb.NETWORK_X, text="Salut", language="fr"),
        pb.PostVariant(network=pb.NETWORK_X, text="Ciao", language="it"),
    )
    with pytest.raises(posts.PostRejected) as caught:
        await draft(uow, only_french)
    assert caught.value.reason == "NO_VARIANT"


async def test_another_tenant_cannot_read_or_draft_for_the_brand(
    uow: Callable[[], UnitOfWork],
) -> None:
    x = await connect_account(uow, pb.NETWORK_X, "@lumiere")
    made = await draft(uow, post([x], pb.PostVariant(network=pb.NETWORK_X, text="hi")))
    stranger = person(Role.GROUP_ADMIN, tenant=OTHER_TENANT, where=None)
    async with uow() as u:
        with pytest.raises(NotFound):
            await posts.get(u, stranger, made.name)
        with pytest.raises(NotFound):
            await posts.create(u, stranger, BRAND_NAME, post([x]), "")
        with pytest.raises(PermissionDenied):
            await posts.create(u, person(Role.ANALYST), BRAND_NAME, post([x]), "")


def test_validate_text_locates_the_problems_for_any_network() -> None:
    answer = text_checks.validate_text(pb.NETWORK_BLUESKY, "é" * 301)
    assert (answer.valid, answer.length, answer.limit) == (False, 301, 300)
    assert [(p.code, p.start) for p in answer.problems] == [("TOO_LONG", 300)]
