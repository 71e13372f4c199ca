"""Partner push: accepted once, duplicates recognised, refusals with reasons (brand outside
the scope, unknown brand, someone else's source), the quota, and only partners with the
scope; events reach JetStream."""

import asyncio
from collections.abc import AsyncIterator, Iterable

import grpc
import nats
import pytest
from vigie.listener.v1 import listener_pb2 as rpc
from vigie.listener.v1 import listener_pb2_grpc
from vigie.listener.v1 import resources_pb2 as pb
from vigie_listener.bootstrap import build
from vigie_listener.config import Settings
from vigie_listener.testing import (
    LUMIERE,
    PARTNER_CLIENT,
    RIVAL,
    TENANT,
    Listener,
    query,
    seed_brands,
    seed_partner_source,
)
from vigie_runtime.grpc_client import open_channel
from vigie_runtime.grpc_errors import error_info
from vigie_runtime.testing.services import serving
from vigie_runtime.testing.tokens import TestKeys
from vigie_runtime.testing.waiting import eventually

GONE = f"tenants/{TENANT}/brands/gone"


def push(source: str, brand: str, *ids: str) -> Iterable[rpc.IngestMentionsRequest]:
    for external_id in ids:
        yield rpc.IngestMentionsRequest(
            source=source,
            external_id=external_id,
            mention=pb.Mention(brand=brand, text=f"Lumière review {external_id}", language="fr"),
        )


async def _requests(
    items: Iterable[rpc.IngestMentionsRequest],
) -> AsyncIterator[rpc.IngestMentionsRequest]:
    for item in items:
        yield item


@pytest.fixture
async def source(listener: Listener) -> str:
    return await seed_partner_source(listener.database_url, "agency", PARTNER_CLIENT)


def partner(listener: Listener) -> tuple[tuple[str, str], ...]:
    return listener.partner({"mentions.ingest"}, {LUMIERE, GONE})


async def test_pushed_mentions_are_stored_once_and_a_second_push_is_harmless(
    listener: Listener, source: str
) -> None:
    named = await query(listener, LUMIERE, "review")
    first = await listener.stub.IngestMentions(
        _requests(push(source, LUMIERE, "a", "b", "a")), metadata=partner(listener)
    )
    assert (first.accepted_count, first.duplicate_count, first.refused_count) == (2, 1, 0)
    again = await listener.stub.IngestMentions(
        _requests(push(source, LUMIERE, "a", "b")), metadata=partner(listener)
    )
    assert (again.accepted_count, again.duplicate_count) == (0, 2)
    page = await listener.stub.ListMentions(
        rpc.ListMentionsRequest(parent=f"tenants/{TENANT}"), metadata=listener.admin()
    )
    assert sorted(m.external_id for m in page.mentions) == ["a", "b"]
    assert all(list(m.matched_queries) == [named] for m in page.mentions)
    assert {m.source_kind for m in page.mentions} == {pb.SOURCE_KIND_PARTNER}


async def test_items_for_brands_outside_the_scope_or_unknown_are_refused_and_others_kept(
    listener: Listener, source: str
) -> None:
    stranger = await seed_partner_source(
        listener.database_url, "other", "tenants/t_acme/partnerClients/x"
    )
    items = [
        *push(source, RIVAL, "rival"),
        *push(source, GONE, "gone"),
        *push(source, "brands/nope", "garbage"),
        *push(stranger, LUMIERE, "elsewhere"),
        *push(source, LUMIERE, "good"),
    ]
    answer = await listener.stub.IngestMentions(_requests(items), metadata=partner(listener))
    assert answer.accepted_count == 1 and answer.refused_count == 4
    assert [(r.external_id, r.reason) for r in answer.refusals] == [
        ("rival", "BRAND_NOT_ALLOWED"),
        ("gone", "BRAND_UNKNOWN"),
        ("garbage", "BRAND_INVALID"),
        ("elsewhere", "SOURCE_NOT_ALLOWED"),
    ]


async def test_a_push_over_the_quota_is_refused_with_a_reason(
    listener: Listener, source: str, settings: Settings
) -> None:
    over = [str(i) for i in range(settings.partner_quota_per_minute + 10)]
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await listener.stub.IngestMentions(
            _requests(push(source, LUMIERE, *over)), metadata=partner(listener)
        )
    assert caught.value.code() == grpc.StatusCode.RESOURCE_EXHAUSTED
    info = error_info(caught.value)
    assert info is not None and info.reason == "PARTNER_QUOTA_EXCEEDED"
    within = await listener.stub.IngestMentions(
        _requests(push(source, LUMIERE, *over[:10])), metadata=partner(listener)
    )
    assert within.accepted_count == 10


async def test_concurrent_pushes_of_a_new_minute_all_count(listener: Listener, source: str) -> None:
    """Found by tests/security on PostgreSQL: the quota row was read then inserted, so the second
    of two pushes opening a minute failed on its key with INTERNAL."""
    pushes = [
        listener.stub.IngestMentions(
            _requests(push(source, LUMIERE, f"c{n}")), metadata=partner(listener)
        )
        for n in range(8)
    ]
    answers = await asyncio.gather(*pushes)
    assert sum(a.accepted_count for a in answers) == 8


async def test_only_a_partner_with_the_ingest_scope_may_push(
    listener: Listener, source: str
) -> None:
    for metadata in (listener.partner({"mentions.read"}, {LUMIERE}), listener.admin()):
        with pytest.raises(grpc.aio.AioRpcError) as caught:
            await listener.stub.IngestMentions(
                _requests(push(source, LUMIERE, "x")), metadata=metadata
            )
        assert caught.value.code() == grpc.StatusCode.PERMISSION_DENIED


async def test_pushed_mentions_reach_jetstream_as_mention_captured(
    settings: Settings, nats_url: str
) -> None:
    keys = TestKeys(settings.platform.jwks_file)
    async with serving(build(settings), mode="all") as host:
        await seed_brands(settings.database_url)
        source = await seed_partner_source(settings.database_url, "agency", PARTNER_CLIENT)
        async with open_channel(f"127.0.0.1:{host.grpc_port}") as channel:
            listener = Listener(
                listener_pb2_grpc.ListenerServiceStub(channel), keys, settings.database_url
            )
            await listener.stub.IngestMentions(
                _requests(push(source, LUMIERE, "a", "b")), metadata=partner(listener)
            )
        connection = await nats.connect(nats_url)
        try:
            js = connection.jetstream()

            async def published() -> bool:
                info = await js.stream_info("VIGIE_LISTENER")
                return info.state.messages == 2

            await eventually(published)
            message = await js.get_last_msg(
                "VIGIE_LISTENER", f"vigie.listener.{TENANT}.mention.captured.v1"
            )
            assert message.headers and message.headers["ce-tenant"] == TENANT
        finally:
            await connection.close()
