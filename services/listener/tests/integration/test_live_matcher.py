"""Each process's matcher follows the stored queries: created, changed, switched off, deleted."""

import asyncio
from collections.abc import AsyncIterator

import pytest
from google.protobuf.field_mask_pb2 import FieldMask
from vigie.listener.v1 import listener_pb2 as rpc
from vigie.listener.v1 import resources_pb2 as pb
from vigie_listener.adapters.orm import RUNTIME_TABLES
from vigie_listener.app.live_matcher import LiveMatcher
from vigie_listener.config import Settings
from vigie_listener.domain.query_language import MatchableItem
from vigie_listener.testing import LUMIERE, TENANT, Listener
from vigie_runtime.host import Plumbing


@pytest.fixture
async def plumbing(settings: Settings) -> AsyncIterator[Plumbing]:
    plumbing = Plumbing("listener", settings, RUNTIME_TABLES)
    try:
        yield plumbing
    finally:
        await plumbing.close()


async def _refresh(plumbing: Plumbing, matcher: LiveMatcher) -> None:
    async with plumbing.uow() as uow:
        await matcher.refresh(uow, force=True)


def _brands(matcher: LiveMatcher, text: str) -> set[tuple[str, str]]:
    return set(matcher.match(MatchableItem(text, language="fr"), "fr", None))


async def test_the_matcher_follows_created_updated_and_deleted_queries(
    listener: Listener, plumbing: Plumbing
) -> None:
    matcher = LiveMatcher()
    created = await listener.stub.CreateListeningQuery(
        rpc.CreateListeningQueryRequest(
            parent=LUMIERE,
            listening_query=pb.ListeningQuery(display_name="Main", query="lumiere", active=True),
        ),
        metadata=listener.admin(),
    )
    await _refresh(plumbing, matcher)
    assert _brands(matcher, "vive Lumière") == {(TENANT, "lumiere")}
    changed = pb.ListeningQuery(name=created.name, query="soleil")
    await listener.stub.UpdateListeningQuery(
        rpc.UpdateListeningQueryRequest(
            listening_query=changed, update_mask=FieldMask(paths=["query"])
        ),
        metadata=listener.admin(),
    )
    await _refresh(plumbing, matcher)
    assert not _brands(matcher, "vive Lumière")
    assert _brands(matcher, "grand soleil") == {(TENANT, "lumiere")}
    await listener.stub.DeleteListeningQuery(
        rpc.DeleteListeningQueryRequest(name=created.name), metadata=listener.admin()
    )
    await _refresh(plumbing, matcher)
    assert not _brands(matcher, "grand soleil") and len(matcher) == 0


async def test_a_query_restricted_to_a_language_ignores_texts_in_others(
    listener: Listener, plumbing: Plumbing
) -> None:
    matcher = LiveMatcher()
    await listener.stub.CreateListeningQuery(
        rpc.CreateListeningQueryRequest(
            parent=LUMIERE,
            listening_query=pb.ListeningQuery(
                display_name="FR", query="lumiere", active=True, languages=["fr"]
            ),
        ),
        metadata=listener.admin(),
    )
    await _refresh(plumbing, matcher)
    assert matcher.match(MatchableItem("Lumière"), "fr-FR", None)
    assert not matcher.match(MatchableItem("Lumière"), "en", None)


async def test_a_caller_arriving_during_a_refresh_waits_for_it(
    listener: Listener, plumbing: Plumbing
) -> None:
    await listener.stub.CreateListeningQuery(
        rpc.CreateListeningQueryRequest(
            parent=LUMIERE,
            listening_query=pb.ListeningQuery(display_name="Main", query="lumiere", active=True),
        ),
        metadata=listener.admin(),
    )
    matcher = LiveMatcher()

    async def refresh_then_match() -> set[tuple[str, str]]:
        async with plumbing.uow() as uow:
            await matcher.refresh(uow)
        return _brands(matcher, "vive Lumière")

    seen = await asyncio.gather(*(refresh_then_match() for _ in range(3)))

    assert seen == [{(TENANT, "lumiere")}] * 3
