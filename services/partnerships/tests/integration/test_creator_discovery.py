"""Creators discovered from the listener's mentions, and their brand safety from the reputation
service's sentiments: real proto events published to NATS, consumed once."""

from datetime import UTC, datetime

import grpc
import pytest
from google.protobuf.timestamp_pb2 import Timestamp
from vigie.directory.v1 import events_pb2 as directory_events
from vigie.directory.v1 import resources_pb2 as directory
from vigie.listener.v1 import events_pb2 as listener_events
from vigie.listener.v1 import resources_pb2 as listener
from vigie.partnerships.v1 import partnerships_pb2 as rpc
from vigie.partnerships.v1 import resources_pb2 as pb
from vigie.reputation.v1 import events_pb2 as reputation_events
from vigie.reputation.v1 import resources_pb2 as reputation
from vigie_directory_replica.subscription import BRAND_CREATED
from vigie_partnerships.entrypoints.nats.mentions import MENTION_CAPTURED, MENTION_SCORED
from vigie_runtime.testing.waiting import eventually

from .conftest import OTHER, TENANT, Producer, Service

PARENT = f"tenants/{TENANT}"
BRAND = f"tenants/{TENANT}/brands/lumiere"
RIVAL = f"tenants/{TENANT}/brands/rival"


def stamp(moment: datetime) -> Timestamp:
    result = Timestamp()
    result.FromDatetime(moment)
    return result


def captured(
    mention_id: str, handle: str, followers: int, text: str, brand: str = BRAND
) -> listener_events.MentionCaptured:
    return listener_events.MentionCaptured(
        brand=brand,
        subsidiary=f"tenants/{TENANT}/subsidiaries/france",
        mention=listener.Mention(
            name=f"{brand}/mentions/{mention_id}",
            brand=brand,
            source_kind=listener.SOURCE_KIND_BLUESKY,
            url=f"https://bsky.app/profile/{handle}/post/{mention_id}",
            text=text,
            language="fr",
            country="FR",
            author=listener.MentionAuthor(
                handle=f"@{handle}",
                display_name=handle.split(".", maxsplit=1)[0].title(),
                followers_count=followers,
                external_id=f"did:plc:{handle.split('.', maxsplit=1)[0]}",
            ),
            publish_time=stamp(datetime(2026, 11, 1, 12, tzinfo=UTC)),
        ),
    )


def scored(mention_id: str, label: int, brand: str = BRAND) -> reputation_events.MentionScored:
    return reputation_events.MentionScored(
        brand=brand,
        sentiment=reputation.MentionSentiment(
            mention=f"{brand}/mentions/{mention_id}",
            label=label,
            score_time=stamp(datetime(2026, 11, 1, 13, tzinfo=UTC)),
        ),
    )


async def creators(service: Service, tenant: str = TENANT) -> list[str]:
    listed = await service.stub.ListCreators(
        rpc.ListCreatorsRequest(parent=f"tenants/{tenant}"), metadata=service.admin(tenant)
    )
    return [a.handle for c in listed.creators for a in c.accounts]


async def test_an_author_with_reach_becomes_a_creator_and_a_small_one_does_not(
    service: Service, producer: Producer
) -> None:
    await producer.publish(MENTION_CAPTURED, captured("m1", "tiny.bsky.social", 40, "hi"), "e1")
    await producer.publish(
        MENTION_CAPTURED, captured("m2", "alice.bsky.social", 5000, "#coffee at Lumière"), "e2"
    )

    async def alice_found() -> bool:
        return await creators(service) == ["alice.bsky.social"]

    await eventually(alice_found)
    listed = await service.stub.ListCreators(
        rpc.ListCreatorsRequest(parent=PARENT), metadata=service.admin()
    )
    found = listed.creators[0]
    assert found.accounts[0].network == "bluesky"
    assert found.accounts[0].network_id == "did:plc:alice"
    assert list(found.topics) == ["coffee"] and list(found.languages) == ["fr"]
    assert await creators(service, OTHER) == []


async def test_a_redelivered_mention_is_recorded_once(service: Service, producer: Producer) -> None:
    text = "Lumière is a scam"
    await producer.publish(MENTION_CAPTURED, captured("m1", "bob.bsky.social", 5000, text), "e1")
    again = captured("m1", "bob.bsky.social", 5000, text)
    await producer.publish(MENTION_CAPTURED, again, "e1-copy")  # another event, same mention
    await producer.publish(MENTION_SCORED, scored("m1", reputation.SENTIMENT_LABEL_NEGATIVE), "s1")
    listed: list[str] = []

    async def vetted() -> bool:
        nonlocal listed
        listed = await creators(service)
        if not listed:
            return False
        vetting = await _vetting(service, "")
        return vetting.brand_safety.score < 100 and any(
            i.name == "negative_share_of_brand" and i.value == "1"
            for i in vetting.brand_safety.inputs
        )

    await eventually(vetted)
    vetting = await _vetting(service, BRAND)
    inputs = {i.name: i.value for i in vetting.brand_safety.inputs}
    # One mention (not two), negative, with the keyword "scam": 100 - 60 - 15 = 25.
    assert inputs["scored_mentions_of_brand"] == "1"
    assert inputs["unsafe_keywords_found"] == "scam"
    assert vetting.brand_safety.score == 25.0
    assert vetting.overall.score == 25.0 and vetting.overall.reasons[0].startswith("capped")


async def test_a_sponsored_post_for_a_competitor_lowers_brand_safety_for_the_brand(
    service: Service, producer: Producer
) -> None:
    stamped = stamp(datetime(2026, 1, 5, tzinfo=UTC))
    brand = directory.Brand(
        name=BRAND,
        subsidiary=f"tenants/{TENANT}/subsidiaries/france",
        display_name="Lumière",
        kind=directory.BRAND_KIND_OWN,
        competitors=[RIVAL],
        update_time=stamped,
    )
    await producer.publish(BRAND_CREATED, directory_events.BrandCreated(brand=brand), "b1")
    post = captured("m9", "carol.bsky.social", 8000, "Try Rival beans #ad", brand=RIVAL)
    await producer.publish(MENTION_CAPTURED, post, "e9")

    async def sponsored_seen() -> bool:
        if not await creators(service):
            return False
        vetting = await _vetting(service, BRAND)
        return any(
            i.name == "sponsored_posts_for_competitors" and i.value == "1"
            for i in vetting.brand_safety.inputs
        )

    await eventually(sponsored_seen)
    assert (await _vetting(service, BRAND)).brand_safety.score == 80.0


async def test_vetting_of_another_tenants_creator_is_not_found(
    service: Service, producer: Producer
) -> None:
    await producer.publish(MENTION_CAPTURED, captured("m1", "dan.bsky.social", 5000, "x"), "e1")

    async def found() -> bool:
        return bool(await creators(service))

    await eventually(found)
    listed = await service.stub.ListCreators(
        rpc.ListCreatorsRequest(parent=PARENT), metadata=service.admin()
    )
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await service.stub.GetVetting(
            rpc.GetVettingRequest(name=listed.creators[0].name + "/vetting"),
            metadata=service.admin(OTHER),
        )
    assert caught.value.code() == grpc.StatusCode.NOT_FOUND


async def _vetting(service: Service, brand: str) -> pb.Vetting:
    listed = await service.stub.ListCreators(
        rpc.ListCreatorsRequest(parent=PARENT), metadata=service.admin()
    )
    return await service.stub.GetVetting(
        rpc.GetVettingRequest(name=listed.creators[0].name + "/vetting", brand=brand),
        metadata=service.admin(),
    )
