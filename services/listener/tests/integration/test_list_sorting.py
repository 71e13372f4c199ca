"""Sorted listener lists (order_by) across pages: mentions by publish time, inbox items by
urgency; totals with the list's filter; page tokens bound to their order; nothing of one tenant
counted for another."""

from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import timedelta

import grpc
import pytest
from vigie.listener.v1 import inbox_pb2 as inbox_rpc
from vigie.listener.v1 import listener_pb2 as rpc
from vigie_listener.adapters.orm import RUNTIME_TABLES
from vigie_listener.config import Settings
from vigie_listener.domain.items import Author, SourceItem
from vigie_listener.testing import (
    FEED,
    FIREHOSE,
    FRANCE,
    LUMIERE,
    OTHER_TENANT,
    RIVAL,
    TENANT,
    WHEN,
    Listener,
    Pipeline,
    post,
    query,
)
from vigie_listener.testing_inbox import Inbox, inbox_running
from vigie_runtime.grpc_errors import error_info
from vigie_runtime.host import Plumbing
from vigie_runtime.testing.tokens import TestKeys
from vigie_runtime.testing.waiting import eventually

PARENT = f"tenants/{TENANT}"


def at(minutes: int, item: SourceItem) -> SourceItem:
    return replace(item, published_at=WHEN + timedelta(minutes=minutes))


@pytest.fixture
async def captured(listener: Listener, pipeline: Pipeline) -> None:
    """Lumière mentioned at minutes 5, 1, 3 and 2 (captured in that order); Rival once."""
    await query(listener, LUMIERE, "lumiere")
    await query(listener, RIVAL, "rival")
    items = [
        at(5, post("m5", "Lumière five")),
        at(1, post("m1", "Lumière one")),
        at(3, post("m3", "Lumière three")),
        at(2, post("m2", "Lumière two")),
        at(4, post("r4", "Rival four")),
    ]
    await pipeline.run(FIREHOSE, items)


async def mention_ids(listener: Listener, order_by: str) -> list[str]:
    found, token = [], ""
    while True:
        answer = await listener.stub.ListMentions(
            rpc.ListMentionsRequest(
                parent=PARENT, brands=[LUMIERE], page_size=1, page_token=token, order_by=order_by
            ),
            metadata=listener.admin(),
        )
        found += [m.external_id for m in answer.mentions]
        token = answer.next_page_token
        if not token:
            return found


@pytest.mark.parametrize(
    ("order_by", "expected"),
    [
        ("", ["m5", "m3", "m2", "m1"]),  # newest first, as before
        ("publish_time desc", ["m5", "m3", "m2", "m1"]),
        ("publish_time asc", ["m1", "m2", "m3", "m5"]),
        ("publish_time", ["m1", "m2", "m3", "m5"]),
    ],
)
async def test_mentions_sorted_both_ways_come_once_each_across_pages(
    listener: Listener, captured: None, order_by: str, expected: list[str]
) -> None:
    assert await mention_ids(listener, order_by) == expected


async def test_a_mention_token_of_one_order_is_refused_with_another(
    listener: Listener, captured: None
) -> None:
    first = await listener.stub.ListMentions(
        rpc.ListMentionsRequest(parent=PARENT, page_size=1, order_by="publish_time asc"),
        metadata=listener.admin(),
    )
    for order_by, field in (("publish_time desc", "page_token"), ("likes", "order_by")):
        with pytest.raises(grpc.aio.AioRpcError) as caught:
            await listener.stub.ListMentions(
                rpc.ListMentionsRequest(
                    parent=PARENT, page_size=1, page_token=first.next_page_token, order_by=order_by
                ),
                metadata=listener.admin(),
            )
        assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
        info = error_info(caught.value)
        assert info is not None and info.metadata["field"] == field


async def test_mention_totals_count_the_filter_and_only_the_tenant(
    listener: Listener, captured: None
) -> None:
    async def total(tenant: str = TENANT, **filters: object) -> int:
        answer = await listener.stub.ListMentions(
            rpc.ListMentionsRequest(
                parent=f"tenants/{tenant}",
                page_size=1,
                show_total_size=True,
                **filters,  # type: ignore[arg-type]
            ),
            metadata=listener.admin(tenant),
        )
        return answer.total_size

    assert await total() == 5
    assert await total(brands=[LUMIERE]) == 4
    assert await total(brands=[RIVAL]) == 1
    assert await total(OTHER_TENANT) == 0


@pytest.fixture
async def world(settings: Settings) -> AsyncIterator[tuple[Inbox, Pipeline]]:
    async with inbox_running(settings, TestKeys(settings.platform.jwks_file)) as inbox:
        await query(inbox.listener, LUMIERE, "lumiere")
        plumbing = Plumbing("listener", settings, RUNTIME_TABLES)
        try:
            yield inbox, Pipeline(plumbing, settings)
        finally:
            await plumbing.close()


def asked_by(external_id: str, followers: int) -> SourceItem:
    """A question (it opens an inbox item) from an author with this many followers."""
    return replace(
        post(external_id, f"Lumiere ouvre dimanche {external_id} ?", language="fr"),
        author=Author(f"@{external_id}.test", external_id, followers, f"did:plc:{external_id}"),
    )


async def test_inbox_items_sorted_by_urgency_both_ways_and_counted(
    world: tuple[Inbox, Pipeline],
) -> None:
    inbox, pipeline = world
    reach = {"q-small": 10, "q-large": 100000, "q-mid": 1000}
    await pipeline.run(FEED, [asked_by(e, f) for e, f in reach.items()])

    async def all_in() -> bool:
        return len(await inbox.items(FRANCE)) == len(reach)

    await eventually(all_in)

    async def every_item(order_by: str) -> list[str]:
        found, token = [], ""
        while True:
            answer = await inbox.stub.ListInboxItems(
                inbox_rpc.ListInboxItemsRequest(
                    parent=FRANCE, page_size=1, page_token=token, order_by=order_by
                ),
                metadata=inbox.admin(),
            )
            found += [i.mention for i in answer.inbox_items]
            token = answer.next_page_token
            if not token:
                return found

    most_urgent_first = await every_item("urgency desc")
    assert most_urgent_first == await every_item("")
    assert await every_item("urgency asc") == most_urgent_first[::-1]
    assert len(set(most_urgent_first)) == len(reach)
    counted = await inbox.stub.ListInboxItems(
        inbox_rpc.ListInboxItemsRequest(parent=FRANCE, page_size=1, show_total_size=True),
        metadata=inbox.admin(),
    )
    assert counted.total_size == len(reach)
    theirs = await inbox.stub.ListInboxItems(
        inbox_rpc.ListInboxItemsRequest(
            parent=FRANCE.replace(TENANT, OTHER_TENANT, 1), page_size=1, show_total_size=True
        ),
        metadata=inbox.admin(OTHER_TENANT),
    )
    assert theirs.total_size == 0
