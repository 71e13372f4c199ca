"""UpdateSource (field mask, etag) and BatchGetSources, scoped to the caller's tenant; an
updated source's connector is restarted with its new settings by the worker's supervisor."""

import grpc
import pytest
from google.protobuf.field_mask_pb2 import FieldMask
from vigie.listener.v1 import listener_pb2 as rpc
from vigie.listener.v1 import resources_pb2 as pb
from vigie_listener.config import Settings
from vigie_listener.testing import (
    LUMIERE,
    OTHER_TENANT,
    TENANT,
    Listener,
    captured,
    query,
    running,
    seed_brands,
    seed_source,
)  # fmt: skip
from vigie_runtime.principal import Role
from vigie_runtime.testing.tokens import TestKeys
from vigie_runtime.testing.waiting import eventually

from .test_feed_source import FeedServer, Route, feeds, rss_document, rss_item, sources

__all__ = ["feeds"]  # the fixture, shared with the feed tests
PARENT = f"tenants/{TENANT}"
FEED = {"feed_url": "https://news.test/feed", "poll_interval_seconds": 60}


async def _refused(call: object, code: grpc.StatusCode) -> str:
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await call  # type: ignore[misc]
    assert caught.value.code() == code, caught.value.details()
    return caught.value.details() or ""


async def test_the_masked_fields_change_and_the_etag_guards_them(listener: Listener) -> None:
    name = await seed_source(listener.database_url, "news", pb.SOURCE_KIND_RSS, dict(FEED), "c1")
    change = pb.Source(
        name=name, display_name="Actualités", enabled=False, etag="1",
        rss=pb.RssSourceConfig(feed_url="https://ignored.test/", poll_interval_seconds=600),
    )  # fmt: skip
    mask = FieldMask(paths=["display_name", "rss.poll_interval_seconds"])
    updated = await listener.stub.UpdateSource(
        rpc.UpdateSourceRequest(source=change, update_mask=mask), metadata=listener.admin()
    )
    assert (updated.display_name, updated.enabled, updated.etag) == ("Actualités", True, "2")
    assert updated.rss == pb.RssSourceConfig(
        feed_url="https://news.test/feed", poll_interval_seconds=600
    )
    stale = rpc.UpdateSourceRequest(source=change, update_mask=mask)
    await _refused(
        listener.stub.UpdateSource(stale, metadata=listener.admin()), grpc.StatusCode.ABORTED
    )
    other_kind = rpc.UpdateSourceRequest(
        source=pb.Source(name=name), update_mask=FieldMask(paths=["mastodon.instance_url"])
    )
    details = await _refused(
        listener.stub.UpdateSource(other_kind, metadata=listener.admin()),
        grpc.StatusCode.INVALID_ARGUMENT,
    )
    assert "mastodon.instance_url" in details
    bad_interval = rpc.UpdateSourceRequest(
        source=pb.Source(name=name, rss=pb.RssSourceConfig(poll_interval_seconds=-5)),
        update_mask=FieldMask(paths=["rss.poll_interval_seconds"]),
    )
    details = await _refused(
        listener.stub.UpdateSource(bad_interval, metadata=listener.admin()),
        grpc.StatusCode.INVALID_ARGUMENT,
    )
    assert "poll_interval_seconds" in details


async def test_a_new_address_forgets_the_cursor(listener: Listener) -> None:
    name = await seed_source(listener.database_url, "news", pb.SOURCE_KIND_RSS, dict(FEED), "c1")
    moved = rpc.UpdateSourceRequest(
        source=pb.Source(name=name, rss=pb.RssSourceConfig(feed_url="https://moved.test/rss")),
        update_mask=FieldMask(paths=["rss.feed_url"]),
    )
    await listener.stub.UpdateSource(moved, metadata=listener.admin())
    assert (await sources(listener.database_url))["news"].cursor == ""


async def test_other_tenants_and_readers_cannot_update(listener: Listener) -> None:
    name = await seed_source(listener.database_url, "news", pb.SOURCE_KIND_RSS, dict(FEED))
    request = rpc.UpdateSourceRequest(
        source=pb.Source(name=name, display_name="x"), update_mask=FieldMask(paths=["display_name"])
    )
    await _refused(
        listener.stub.UpdateSource(request, metadata=listener.admin(OTHER_TENANT)),
        grpc.StatusCode.NOT_FOUND,
    )
    await _refused(
        listener.stub.UpdateSource(request, metadata=listener.member(Role.ANALYST, None)),
        grpc.StatusCode.PERMISSION_DENIED,
    )
    assert (await sources(listener.database_url))["news"].display_name == "news"


async def test_batch_get_answers_in_the_order_asked_within_the_tenant(listener: Listener) -> None:
    first = await seed_source(listener.database_url, "a", pb.SOURCE_KIND_RSS, dict(FEED))
    second = await seed_source(listener.database_url, "b", pb.SOURCE_KIND_RSS, dict(FEED))
    theirs = await seed_source(
        listener.database_url, "c", pb.SOURCE_KIND_RSS, dict(FEED), tenant=OTHER_TENANT
    )
    got = await listener.stub.BatchGetSources(
        rpc.BatchGetSourcesRequest(parent=PARENT, names=[second, first]),
        metadata=listener.member(Role.ANALYST, None),
    )
    assert [s.name for s in got.sources] == [second, first]
    crossing = rpc.BatchGetSourcesRequest(parent=PARENT, names=[first, theirs])
    await _refused(
        listener.stub.BatchGetSources(crossing, metadata=listener.admin()),
        grpc.StatusCode.NOT_FOUND,
    )
    foreign_parent = rpc.BatchGetSourcesRequest(parent=f"tenants/{OTHER_TENANT}", names=[theirs])
    await _refused(
        listener.stub.BatchGetSources(foreign_parent, metadata=listener.admin()),
        grpc.StatusCode.NOT_FOUND,
    )


async def test_an_updated_feed_is_read_from_its_new_address(
    settings: Settings, feeds: FeedServer
) -> None:
    keys = TestKeys(settings.platform.jwks_file)
    feeds.routes["/old.xml"] = Route(rss_document(rss_item("old", "Lumière avant")))
    feeds.routes["/new.xml"] = Route(rss_document(rss_item("new", "Lumière après")))
    async with running(settings, keys) as listener:
        await seed_brands(settings.database_url)
        await query(listener, LUMIERE, "lumiere")
        config: dict[str, object] = {"feed_url": feeds.url("/old.xml"), "poll_interval_seconds": 1}
        name = await seed_source(settings.database_url, "news", pb.SOURCE_KIND_RSS, config)

        async def seen(*ids: str) -> bool:
            return {m for m, _ in await captured(settings.database_url)} == set(ids)

        await eventually(lambda: seen("old"))
        moved = rpc.UpdateSourceRequest(
            source=pb.Source(name=name, rss=pb.RssSourceConfig(feed_url=feeds.url("/new.xml"))),
            update_mask=FieldMask(paths=["rss.feed_url"]),
        )
        await listener.stub.UpdateSource(moved, metadata=listener.admin())
        await eventually(lambda: seen("old", "new"))


@pytest.mark.parametrize(
    ("settings_of", "field"),
    [
        (pb.Source(rss=pb.RssSourceConfig(feed_url="file:///etc/passwd")), "rss.feed_url"),
        (pb.Source(bluesky=pb.BlueskySourceConfig(relay_url="https://bsky.network")), "relay_url"),
        (
            pb.Source(mastodon=pb.MastodonSourceConfig(instance_url="https://m.test", stream="x")),
            "mastodon.stream",
        ),
        (
            pb.Source(
                mastodon=pb.MastodonSourceConfig(instance_url="https://m.test", stream="hashtag")
            ),
            "mastodon.hashtag",
        ),
    ],
)
async def test_settings_a_connector_cannot_use_are_refused_with_their_field(
    listener: Listener, settings_of: pb.Source, field: str
) -> None:
    settings_of.display_name = "x"
    request = rpc.CreateSourceRequest(parent=PARENT, source=settings_of)
    details = await _refused(
        listener.stub.CreateSource(request, metadata=listener.admin()),
        grpc.StatusCode.INVALID_ARGUMENT,
    )
    assert field in details
