"""Mentions through gRPC: get, batch get, filtered keyset pages, counts per interval, and
nothing of them for another tenant or a partner outside its brands."""

from datetime import UTC, datetime, timedelta

import grpc
import pytest
from google.protobuf.timestamp_pb2 import Timestamp
from vigie.listener.v1 import listener_pb2 as rpc
from vigie_listener.domain.items import SourceItem
from vigie_listener.testing import (
    FIREHOSE,
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

PARENT = f"tenants/{TENANT}"


def stamp(moment: datetime) -> Timestamp:
    result = Timestamp()
    result.FromDatetime(moment)
    return result


def at(minutes: int, item: SourceItem) -> SourceItem:
    return SourceItem(
        item.external_id, item.text, WHEN + timedelta(minutes=minutes),
        language=item.language, author=item.author,
    )  # fmt: skip


@pytest.fixture
async def captured(listener: Listener, pipeline: Pipeline) -> str:
    lumiere_query = await query(listener, LUMIERE, "lumiere")
    await query(listener, RIVAL, "rival")
    items = [
        at(0, post("1", "Lumière ouvre un café", language="fr")),
        at(1, post("2", "Lumière and Rival compared")),
        at(2, post("3", "Rival is down again")),
        at(61, post("4", "Lumière after an hour")),
    ]
    await pipeline.run(FIREHOSE, items)
    return lumiere_query


async def _list(listener: Listener, **filters: object) -> list[str]:
    found, token = [], ""
    while True:
        answer = await listener.stub.ListMentions(
            rpc.ListMentionsRequest(parent=PARENT, page_size=1, page_token=token, **filters),  # type: ignore[arg-type]
            metadata=listener.admin(),
        )
        found += [f"{m.brand.rsplit('/', 1)[1]}:{m.external_id}" for m in answer.mentions]
        token = answer.next_page_token
        if not token:
            return found


async def test_mentions_are_listed_newest_first_in_pages_with_filters(
    listener: Listener, captured: str
) -> None:
    every = await _list(listener)
    # Item 2 matched both brands: its two mentions share a time, in either order.
    assert every[:2] == ["lumiere:4", "rival:3"] and every[4] == "lumiere:1"
    assert set(every[2:4]) == {"rival:2", "lumiere:2"}
    assert await _list(listener, brands=[RIVAL]) == ["rival:3", "rival:2"]
    assert await _list(listener, languages=["fr"]) == ["lumiere:1"]
    assert await _list(listener, text_contains="CAFE") == ["lumiere:1"]
    assert await _list(listener, listening_query=captured) == [
        "lumiere:4",
        "lumiere:2",
        "lumiere:1",
    ]
    window = {
        "start_time": stamp(WHEN + timedelta(minutes=1)),
        "end_time": stamp(WHEN + timedelta(minutes=3)),
    }
    in_window = await _list(listener, **window)
    assert in_window[0] == "rival:3" and set(in_window[1:]) == {"rival:2", "lumiere:2"}
    assert await _list(listener, author_handle="@nobody") == []


async def test_a_mention_is_read_alone_and_in_a_batch(listener: Listener, captured: str) -> None:
    page = await listener.stub.ListMentions(
        rpc.ListMentionsRequest(parent=PARENT), metadata=listener.admin()
    )
    names = [m.name for m in page.mentions]
    one = await listener.stub.GetMention(
        rpc.GetMentionRequest(name=names[0]), metadata=listener.admin()
    )
    assert one == page.mentions[0] and one.matched_queries
    batch = await listener.stub.BatchGetMentions(
        rpc.BatchGetMentionsRequest(parent=PARENT, names=names[::-1]), metadata=listener.admin()
    )
    assert [m.name for m in batch.mentions] == names[::-1]


async def test_mentions_are_counted_per_brand_and_hour_with_empty_hours(
    listener: Listener, captured: str
) -> None:
    answer = await listener.stub.CountMentions(
        rpc.CountMentionsRequest(
            parent=PARENT,
            brands=[LUMIERE],
            start_time=stamp(WHEN),
            end_time=stamp(WHEN + timedelta(hours=3)),
            interval=rpc.COUNT_INTERVAL_HOUR,
        ),
        metadata=listener.admin(),
    )
    assert [(c.start_time.ToDatetime(tzinfo=UTC).hour, c.count) for c in answer.counts] == [
        (12, 2),
        (13, 1),
        (14, 0),
    ]


async def test_another_tenant_and_an_out_of_scope_partner_see_no_mention(
    listener: Listener, captured: str
) -> None:
    page = await listener.stub.ListMentions(
        rpc.ListMentionsRequest(parent=PARENT, brands=[LUMIERE]), metadata=listener.admin()
    )
    name = page.mentions[0].name
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await listener.stub.GetMention(
            rpc.GetMentionRequest(name=name), metadata=listener.admin(OTHER_TENANT)
        )
    assert caught.value.code() == grpc.StatusCode.NOT_FOUND
    theirs = await listener.stub.ListMentions(
        rpc.ListMentionsRequest(parent=f"tenants/{OTHER_TENANT}"),
        metadata=listener.admin(OTHER_TENANT),
    )
    assert not theirs.mentions
    partner = listener.partner({"mentions.read"}, {RIVAL})
    seen = await listener.stub.ListMentions(
        rpc.ListMentionsRequest(parent=PARENT), metadata=partner
    )
    assert {m.brand for m in seen.mentions} == {RIVAL}
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await listener.stub.GetMention(rpc.GetMentionRequest(name=name), metadata=partner)
    assert refused.value.code() == grpc.StatusCode.NOT_FOUND


async def test_test_query_runs_over_the_brands_recent_mentions(
    listener: Listener, captured: str
) -> None:
    answer = await listener.stub.TestQuery(
        rpc.TestQueryRequest(
            parent=LUMIERE, query="lumiere -cafe", recent_since_time=stamp(WHEN - timedelta(days=1))
        ),
        metadata=listener.admin(),
    )
    assert answer.recent_match_count == 2
    assert [m.external_id for m in answer.recent_matches] == ["4", "2"]
