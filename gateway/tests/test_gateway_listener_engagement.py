"""Engagement on a published post through GraphQL, served against a real directory and
listener (NATS between them): the brand made in the directory, the post announced as the
publisher announces it, a reply and a quote captured; another group's admin sees nothing."""

from collections.abc import AsyncIterator
from dataclasses import replace
from typing import Any

import pytest
from vigie.publisher.v1 import events_pb2 as publisher_events
from vigie.publisher.v1 import resources_pb2 as publisher
from vigie_directory.testing import ADMIN_PASSWORD
from vigie_gateway.testing import Front, graphql_front
from vigie_listener.adapters.orm import RUNTIME_TABLES
from vigie_listener.testing import FIREHOSE, Pipeline, post
from vigie_publisher.app.events import POST_PUBLISHED
from vigie_runtime.host import Plumbing
from vigie_runtime.testing.events import publish_as_producer
from vigie_runtime.testing.waiting import eventually

SUBSIDIARY = """mutation { createSubsidiary(input: {displayName: "France", country: "FR",
  locale: "fr-FR", timeZone: "Europe/Paris"}) { subsidiary { id } errors { code reason message field } } }"""
BRAND = 'mutation($s: ID!) { createBrand(input: {subsidiaryId: $s, displayName: "Lumière"}) { brand { id } errors { code reason message field } } }'
ENGAGEMENT = """query($p: ID!) { postEngagement(postId: $p) {
  postId replyCount quoteCount repostCount references } }"""
URI = "at://did:plc:lumiere/app.bsky.feed.post/3gateway"


def data(answer: dict[str, Any]) -> dict[str, Any]:
    assert not answer.get("errors"), answer
    return answer["data"]  # type: ignore[no-any-return]


async def published(nats_url: str, tenant: str, post_name: str) -> None:
    """The publisher's event once the post's Bluesky publication is confirmed."""
    message = publisher_events.PostPublished(
        post=publisher.Post(name=post_name),
        publication=publisher.Publication(
            name=f"{post_name}/publications/01pub", network=publisher.NETWORK_BLUESKY,
            external_id=URI,
        ),
    )  # fmt: skip
    await publish_as_producer(nats_url, POST_PUBLISHED, tenant, message)


@pytest.fixture
async def fronts(behind_gateway: Any) -> AsyncIterator[tuple[Front, Front, Pipeline]]:
    platform = await behind_gateway("listener")
    settings = platform.settings["listener"]
    plumbing = Plumbing("listener", settings, RUNTIME_TABLES)
    try:
        async with graphql_front(platform.app) as admin, graphql_front(platform.app) as stranger:
            await admin.log_in("admin@acme.test", ADMIN_PASSWORD)
            await stranger.log_in("admin@rival.test", ADMIN_PASSWORD)
            yield admin, stranger, Pipeline(plumbing, settings)
    finally:
        await plumbing.close()


async def test_a_reply_and_a_quote_of_a_published_post_show_in_graphql(
    fronts: tuple[Front, Front, Pipeline], nats_url: str
) -> None:
    admin, stranger, pipeline = fronts
    subsidiary = data(await admin.ask(SUBSIDIARY))["createSubsidiary"]["subsidiary"]["id"]
    brand = str(data(await admin.ask(BRAND, s=subsidiary))["createBrand"]["brand"]["id"])
    post_name = f"{brand}/posts/01gatewaypost"
    await published(nats_url, brand.split("/")[1], post_name)

    async def announced() -> bool:  # the brand replicated, then the post remembered
        answer = await admin.ask(ENGAGEMENT, p=post_name)
        return not answer.get("errors") and bool(answer["data"]["postEngagement"]["references"])

    await eventually(announced, seconds=30)
    items = [replace(post("at://fan/1", "bravo"), reply_to=(URI, "")),
             replace(post("at://fan/2", "regardez"), quote_of=(URI, ""))]  # fmt: skip
    await pipeline.run(FIREHOSE, items)
    await pipeline.run(FIREHOSE, items)
    assert data(await admin.ask(ENGAGEMENT, p=post_name))["postEngagement"] == {
        "postId": post_name, "replyCount": 1, "quoteCount": 1, "repostCount": 0,
        "references": [URI],
    }  # fmt: skip
    refused = await stranger.ask(ENGAGEMENT, p=post_name)
    assert refused["errors"][0]["extensions"]["code"] == "POST_NOT_FOUND", refused
