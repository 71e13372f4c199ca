"""The capture pipeline: one mention per matched brand with its event in the outbox,
de-duplication, language detection, bad input skipped with a reason, tenant scoping."""

from sqlalchemy import select
from vigie_listener.adapters.orm import RUNTIME_TABLES
from vigie_listener.app.events import MENTION_CAPTURED
from vigie_listener.config import Settings
from vigie_listener.testing import (
    FEED,
    FIREHOSE,
    LUMIERE,
    OTHER_BRAND,
    RIVAL,
    TENANT,
    WHEN,
    Listener,
    Pipeline,
    post,
    query,
)


async def test_an_item_matching_two_brands_is_stored_once_per_brand_with_its_event(
    listener: Listener, pipeline: Pipeline
) -> None:
    own = await query(listener, LUMIERE, "lumiere")
    rival = await query(listener, RIVAL, "rival")
    result = await pipeline.run(FIREHOSE, [post("at://1", "Lumière beats Rival"), post("2", "x")])
    assert {(m.brand_id, tuple(m.matched_queries)) for m in result.stored} == {
        ("lumiere", (own,)),
        ("rival", (rival,)),
    }
    assert result.unmatched == 1
    mention = result.stored[0]
    assert mention.author_handle == "@alice.test" and mention.author_followers == 120
    assert mention.source_id == "bluesky" and mention.publish_time == WHEN
    outbox = RUNTIME_TABLES.outbox
    async with pipeline.plumbing.uow() as uow:
        types = (await uow.session.execute(select(outbox.c.type))).scalars().all()
    assert types == [MENTION_CAPTURED.ce_type] * 2


async def test_the_same_item_or_the_same_url_is_stored_once(
    listener: Listener, pipeline: Pipeline
) -> None:
    await query(listener, LUMIERE, "lumiere")
    first = post("at://1", "Lumière!", url="https://News.test/a/")
    again = await pipeline.run(FIREHOSE, [first, first])
    assert len(again.stored) == 1 and again.duplicates == 1
    replay = await pipeline.run(FIREHOSE, [first])
    assert not replay.stored and replay.duplicates == 1
    same_page = post("guid-9", "Lumière in the news", url="https://news.test/a")
    elsewhere = await pipeline.run(FEED, [same_page])
    assert not elsewhere.stored and elsewhere.duplicates == 1
    assert await pipeline.count() == 1


async def test_the_language_is_detected_when_the_source_does_not_say(
    listener: Listener, pipeline: Pipeline
) -> None:
    await query(listener, LUMIERE, "lumiere", languages=["fr"])
    french = post("1", "J'adore le café Lumière, il est vraiment très bon", language="")
    english = post("2", "I really love the Lumière coffee shop downtown", language="")
    result = await pipeline.run(FIREHOSE, [french, english])
    assert [(m.external_id, m.language) for m in result.stored] == [("1", "fr")]


async def test_bad_items_are_refused_with_a_reason_and_good_ones_kept(
    listener: Listener, pipeline: Pipeline, settings: Settings
) -> None:
    await query(listener, LUMIERE, "lumiere")
    items = [
        post("", "Lumière without an id"),
        post("empty", "   "),
        post("broken", "Lumière \udcff broken bytes"),
        post("giant", "Lumière " + "a" * (settings.max_text_length * 2)),
        post("fine", "Lumière"),
    ]
    result = await pipeline.run(FIREHOSE, items)
    assert [(i, bad.reason) for i, bad in result.refused] == [
        ("", "EXTERNAL_ID_INVALID"),
        ("empty", "TEXT_EMPTY"),
    ]
    stored = {m.external_id: m for m in result.stored}
    assert set(stored) == {"broken", "giant", "fine"}
    assert "\ufffd" in stored["broken"].text
    assert len(stored["giant"].text) == settings.max_text_length


async def test_a_tenant_owned_source_feeds_only_its_tenant(
    listener: Listener, pipeline: Pipeline
) -> None:
    await query(listener, LUMIERE, "lumiere")
    await query(listener, OTHER_BRAND, "lumiere")
    from_feed = await pipeline.run(FEED, [post("a", "Lumière")])
    assert {(m.tenant, m.brand_id) for m in from_feed.stored} == {(TENANT, "lumiere")}
    shared = await pipeline.run(FIREHOSE, [post("b", "Lumière")])
    assert {m.tenant for m in shared.stored} == {TENANT, "t_other"}
