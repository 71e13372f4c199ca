"""A brand's own unsafe keywords: set, read, listed and dropped over gRPC, used by vetting for
that brand (with the keyword shown as the reason), refused when malformed, and invisible to
other tenants."""

from collections.abc import Sequence
from datetime import UTC, datetime

import grpc
import pytest
from vigie.directory.v1 import events_pb2 as directory_events
from vigie.directory.v1 import resources_pb2 as directory
from vigie.partnerships.v1 import partnerships_pb2 as rpc
from vigie.partnerships.v1 import resources_pb2 as pb
from vigie_directory_replica.subscription import BRAND_CREATED
from vigie_partnerships.entrypoints.nats.mentions import MENTION_CAPTURED
from vigie_runtime.grpc_client import bearer
from vigie_runtime.principal import Role
from vigie_runtime.testing.waiting import eventually

from .conftest import OTHER, TENANT, Producer, Service
from .test_creator_discovery import BRAND, PARENT, captured, creators, stamp

LIST = f"{BRAND}/safetyKeywords"


async def _known_brand(service: Service, producer: Producer) -> None:
    brand = directory.Brand(
        name=BRAND, subsidiary=f"tenants/{TENANT}/subsidiaries/france", display_name="Lumière",
        kind=directory.BRAND_KIND_OWN, update_time=stamp(datetime(2026, 1, 5, tzinfo=UTC)),
    )  # fmt: skip
    await producer.publish(BRAND_CREATED, directory_events.BrandCreated(brand=brand), "b1")

    async def known() -> bool:
        try:
            await service.stub.GetBrandSafetyKeywords(
                rpc.GetBrandSafetyKeywordsRequest(name=LIST), metadata=service.admin()
            )
        except grpc.aio.AioRpcError:
            return False
        return True

    await eventually(known)


async def _set(
    service: Service, keywords: Sequence[str], etag: str = "", tenant: str = TENANT
) -> pb.BrandSafetyKeywords:
    given = pb.BrandSafetyKeywords(name=LIST, keywords=keywords, etag=etag)
    return await service.stub.UpdateBrandSafetyKeywords(
        rpc.UpdateBrandSafetyKeywordsRequest(brand_safety_keywords=given),
        metadata=service.admin(tenant),
    )


async def _safety(service: Service) -> pb.VettingScore:
    listed = await service.stub.ListCreators(
        rpc.ListCreatorsRequest(parent=PARENT), metadata=service.admin()
    )
    vetting = await service.stub.GetVetting(
        rpc.GetVettingRequest(name=listed.creators[0].name + "/vetting", brand=BRAND),
        metadata=service.admin(),
    )
    return vetting.brand_safety


async def test_a_brands_own_keyword_lowers_brand_safety_with_the_reason_shown(
    service: Service, producer: Producer
) -> None:
    await _known_brand(service, producer)
    post = captured("m1", "erin.bsky.social", 9000, "Lumière sponsors my Gambling stream")
    await producer.publish(MENTION_CAPTURED, post, "e1")

    async def creator_known() -> bool:
        return bool(await creators(service))

    await eventually(creator_known)
    assert (await _safety(service)).score == 100.0  # "gambling" is not a default keyword
    defaults = await service.stub.GetBrandSafetyKeywords(
        rpc.GetBrandSafetyKeywordsRequest(name=LIST), metadata=service.admin()
    )
    assert defaults.defaults and "casino" in defaults.keywords and defaults.etag == "0"

    stored = await _set(service, [" Gambling ", "gambling", "crypto  casino"], etag="0")
    assert (list(stored.keywords), stored.defaults) == (["gambling", "crypto casino"], False)
    safety = await _safety(service)
    assert safety.score == 85.0
    assert "-15: unsafe keywords: gambling" in safety.reasons
    assert ("unsafe_keywords_found", "gambling") in [(i.name, i.value) for i in safety.inputs]

    await service.stub.DeleteBrandSafetyKeywords(
        rpc.DeleteBrandSafetyKeywordsRequest(name=LIST, etag=stored.etag),
        metadata=service.admin(),
    )
    assert (await _safety(service)).score == 100.0


async def test_keyword_lists_refuse_bad_input_and_stale_etags(
    service: Service, producer: Producer
) -> None:
    await _known_brand(service, producer)
    for words in ([""], ["!!"], [f"w{i}" for i in range(201)], ["x" * 101]):
        with pytest.raises(grpc.aio.AioRpcError) as caught:
            await _set(service, words)
        assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    first = await _set(service, ["scam"])
    await _set(service, ["scam", "fraud"], etag=first.etag)
    with pytest.raises(grpc.aio.AioRpcError) as stale:
        await _set(service, ["hate"], etag=first.etag)
    assert stale.value.code() == grpc.StatusCode.ABORTED
    unknown = pb.BrandSafetyKeywords(name=f"{PARENT}/brands/nobody/safetyKeywords")
    with pytest.raises(grpc.aio.AioRpcError) as missing:
        await service.stub.UpdateBrandSafetyKeywords(
            rpc.UpdateBrandSafetyKeywordsRequest(brand_safety_keywords=unknown),
            metadata=service.admin(),
        )
    assert missing.value.code() == grpc.StatusCode.NOT_FOUND


async def test_another_tenant_neither_reads_nor_changes_a_brands_list(
    service: Service, producer: Producer
) -> None:
    await _known_brand(service, producer)
    await _set(service, ["scam"])
    for call in (
        service.stub.GetBrandSafetyKeywords(
            rpc.GetBrandSafetyKeywordsRequest(name=LIST), metadata=service.admin(OTHER)
        ),
        _set(service, ["nothing"], tenant=OTHER),
        service.stub.DeleteBrandSafetyKeywords(
            rpc.DeleteBrandSafetyKeywordsRequest(name=LIST), metadata=service.admin(OTHER)
        ),
    ):
        with pytest.raises(grpc.aio.AioRpcError) as caught:
            await call
        assert caught.value.code() == grpc.StatusCode.NOT_FOUND
    theirs = await service.stub.ListBrandSafetyKeywords(
        rpc.ListBrandSafetyKeywordsRequest(parent=f"tenants/{OTHER}"), metadata=service.admin(OTHER)
    )
    ours = await service.stub.ListBrandSafetyKeywords(
        rpc.ListBrandSafetyKeywordsRequest(parent=PARENT), metadata=service.admin()
    )
    assert list(theirs.brand_safety_keywords) == []
    assert [(k.name, list(k.keywords)) for k in ours.brand_safety_keywords] == [(LIST, ["scam"])]


async def test_an_analyst_reads_the_list_but_cannot_change_it(
    service: Service, producer: Producer
) -> None:
    await _known_brand(service, producer)
    analyst = bearer(service.keys.token(TENANT, (Role.ANALYST, None)))
    read = await service.stub.GetBrandSafetyKeywords(
        rpc.GetBrandSafetyKeywordsRequest(name=LIST), metadata=analyst
    )
    assert read.defaults
    given = pb.BrandSafetyKeywords(name=LIST, keywords=["scam"])
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await service.stub.UpdateBrandSafetyKeywords(
            rpc.UpdateBrandSafetyKeywordsRequest(brand_safety_keywords=given), metadata=analyst
        )
    assert caught.value.code() == grpc.StatusCode.PERMISSION_DENIED
