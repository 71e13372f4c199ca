"""The partnerships through GraphQL: a brand's unsafe keywords set, refused when malformed, and
reset; FX rates stored and listed; creators and campaigns created, changed and deleted; nested
creators, campaigns and brands loaded with one call per kind (DataLoaders, no N+1)."""

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from vigie.partnerships.v1 import partnerships_pb2 as rpc
from vigie.partnerships.v1 import partnerships_pb2_grpc
from vigie.partnerships.v1 import resources_pb2 as pb
from vigie_directory.bootstrap import build as build_directory
from vigie_directory.testing import ADMIN_PASSWORD, bootstrap_tenant, directory_settings
from vigie_gateway.app import create_app
from vigie_gateway.config import Settings as GatewaySettings
from vigie_gateway.context import Context
from vigie_gateway.testing import Front, graphql_front, refusal, succeeded
from vigie_partnerships.bootstrap import build as build_partnerships
from vigie_partnerships.config import Settings as PartnershipsSettings
from vigie_partnerships.testing import CREATE_CONTRACT, contract_input, create_campaign
from vigie_runtime.grpc_client import bearer, open_channel
from vigie_runtime.testing.databases import temporary_database
from vigie_runtime.testing.services import serving
from vigie_runtime.testing.waiting import eventually


@dataclass
class Platform:
    front: Front
    tenant: str
    partnerships: str  # its gRPC address


@pytest.fixture
async def platform(tmp_path: Path, database_url: str, nats_url: str) -> AsyncIterator[Platform]:
    directory = directory_settings(tmp_path, database_url, nats_url)
    async with (
        temporary_database(tmp_path, "partnerships") as partnerships_url,
        serving(build_directory(directory), mode="all") as directory_host,
    ):
        settings = PartnershipsSettings(
            database_url=partnerships_url, grpc_address="127.0.0.1:0", platform=directory.platform
        )
        async with serving(build_partnerships(settings), mode="all") as host:
            tenant = await bootstrap_tenant(directory, "Acme Group", "admin@acme.test")
            gateway = GatewaySettings(
                directory_target=f"127.0.0.1:{directory_host.grpc_port}",
                partnerships_target=f"127.0.0.1:{host.grpc_port}",
                platform=directory.platform,
            )
            async with graphql_front(create_app(gateway)) as front:
                await front.log_in("admin@acme.test", ADMIN_PASSWORD)
                yield Platform(front, tenant, f"127.0.0.1:{host.grpc_port}")


SUBSIDIARY = """mutation { createSubsidiary(input: {displayName: "France", country: "FR",
  locale: "fr-FR", timeZone: "Europe/Paris"}) { subsidiary { id } errors { code reason message field } } }"""
BRAND = 'mutation($s: ID!) { createBrand(input: {subsidiaryId: $s, displayName: "Lumière"}) { brand { id } errors { code reason message field } } }'
KEYWORDS = "query($b: ID!) { brandSafetyKeywords(brandId: $b) { brandId keywords defaults etag } }"
SET_KEYWORDS = """mutation($b: ID!, $k: [String!]!, $e: String!) {
  setBrandSafetyKeywords(input: {brandId: $b, keywords: $k, etag: $e}) { brandSafetyKeywords { keywords defaults etag } errors { code reason message field } } }"""
RESET_KEYWORDS = """mutation($b: ID!, $e: String!) {
  resetBrandSafetyKeywords(input: {brandId: $b, etag: $e}) { brandSafetyKeywords { keywords defaults } errors { code reason message field } } }"""
SET_RATE = """mutation($i: FxRateInput!) { setFxRate(input: $i) { fxRate {
  id baseCurrency quoteCurrency rate effectiveDate } errors { code reason message field } } }"""
RATES = """query { fxRates(first: 10) { nodes { rate effectiveDate } pageInfo { hasNextPage } } }"""


async def brand_known_to_partnerships(front: Front) -> str:
    """A brand made in the directory, once its `brand.created` reached the partnerships."""
    subsidiary = (await front.ask(SUBSIDIARY))["data"]["createSubsidiary"]["subsidiary"]["id"]
    brand = str((await front.ask(BRAND, s=subsidiary))["data"]["createBrand"]["brand"]["id"])

    async def known() -> bool:
        return (await front.ask(KEYWORDS, b=brand)).get("data") is not None

    await eventually(known)
    return brand


def code_of(answer: dict[str, object]) -> str:
    return refusal(answer)  # type: ignore[arg-type]


async def test_a_brands_keywords_are_set_refused_when_malformed_and_reset(
    platform: Platform,
) -> None:
    front = platform.front
    brand = await brand_known_to_partnerships(front)
    defaults = (await front.ask(KEYWORDS, b=brand))["data"]["brandSafetyKeywords"]
    assert defaults["brandId"] == brand and defaults["defaults"] and "scam" in defaults["keywords"]
    stored = await front.ask(SET_KEYWORDS, b=brand, k=["Gambling", "crypto casino"], e="0")
    assert stored["data"]["setBrandSafetyKeywords"]["brandSafetyKeywords"] == {
        "keywords": ["gambling", "crypto casino"], "defaults": False, "etag": "1"
    }  # fmt: skip
    assert code_of(await front.ask(SET_KEYWORDS, b=brand, k=["  "], e="")) == "INVALID_ARGUMENT"
    assert code_of(await front.ask(SET_KEYWORDS, b=brand, k=["x"], e="0")) == "ETAG_MISMATCH"
    reset = await front.ask(RESET_KEYWORDS, b=brand, e="1")
    assert reset["data"]["resetBrandSafetyKeywords"]["brandSafetyKeywords"]["defaults"] is True
    unknown = f"{platform.tenant}/brands/nobody"
    assert code_of(await front.ask(KEYWORDS, b=unknown)) == "BRAND_NOT_FOUND"


async def test_fx_rates_are_stored_listed_and_a_malformed_one_refused(platform: Platform) -> None:
    front = platform.front
    given = {"baseCurrency": "eur", "quoteCurrency": "USD", "effectiveDate": "2026-12-01"}
    stored = await front.ask(SET_RATE, i={**given, "rate": "1.0845"})
    assert stored["data"]["setFxRate"]["fxRate"] == {
        "id": f"{platform.tenant}/fxRates/EUR-USD-2026-12-01", "baseCurrency": "EUR",
        "quoteCurrency": "USD", "rate": "1.0845", "effectiveDate": "2026-12-01",
    }  # fmt: skip
    assert code_of(await front.ask(SET_RATE, i={**given, "rate": "1.08e400x"})) == "INVALID_RATE"
    assert code_of(await front.ask(SET_RATE, i={**given, "rate": "-1"})) == "INVALID_RATE"
    listed = (await front.ask(RATES))["data"]["fxRates"]
    assert listed == {
        "nodes": [{"rate": "1.0845", "effectiveDate": "2026-12-01"}],
        "pageInfo": {"hasNextPage": False},
    }


NESTED = """query($c: ID!) { contracts(campaignId: $c) { creator { displayName }
  campaign { displayName brands { displayName } } } }"""


async def _three_contracts(platform: Platform, brand: str) -> str:
    """A campaign with one proposed contract for each of three creators; its id."""
    front = platform.front
    campaign_id = await create_campaign(front, brand)
    for who in ("ann", "ben", "cat"):
        made = await front.ask(CREATE_CREATOR, i=_creator(who))
        creator_id = made["data"]["createCreator"]["creator"]["id"]
        answer = await front.ask(
            CREATE_CONTRACT, i=contract_input(campaign_id, creator_id, "100.00", "Roast")
        )
        assert succeeded(answer), answer
    return campaign_id


CREATE_CREATOR = "mutation($i: CreateCreatorInput!) { createCreator(input: $i) { creator { id displayName } errors { code reason message field } } }"


def _creator(handle: str) -> dict[str, object]:
    account = {"network": "bluesky", "handle": f"{handle}.test", "followersCount": 5000}
    return {"displayName": handle.title(), "accounts": [account], "topics": ["coffee"]}


async def test_nested_creators_campaigns_and_brands_cost_one_call_each(
    platform: Platform, monkeypatch: pytest.MonkeyPatch
) -> None:
    brand = await brand_known_to_partnerships(platform.front)
    campaign_id = await _three_contracts(platform, brand)
    asked: list[str] = []
    call = Context.call

    async def counted(self: Context, rpc: Any, request: Any) -> Any:
        asked.append(type(request).__name__)
        return await call(self, rpc, request)

    monkeypatch.setattr(Context, "call", counted)
    answer = await platform.front.ask(NESTED, c=campaign_id)
    contracts = answer["data"]["contracts"]
    assert sorted(c["creator"]["displayName"] for c in contracts) == ["Ann", "Ben", "Cat"]
    assert {c["campaign"]["brands"][0]["displayName"] for c in contracts} == {"Lumière"}
    assert sorted(asked) == [
        "BatchGetBrandsRequest", "BatchGetCampaignsRequest", "BatchGetCreatorsRequest",
        "ListContractsRequest",
    ]  # fmt: skip


UPDATE_CAMPAIGN = """mutation($i: UpdateCampaignInput!) {
  updateCampaign(input: $i) { campaign { displayName brief budget { amount currencyCode } } errors { code reason message field } } }"""
DELETE_CAMPAIGN = "mutation($id: ID!) { deleteCampaign(input: {id: $id}) { deletedId errors { code reason message field } } }"
DELIVERABLES = "query($c: ID!) { deliverables(filter: {campaignId: $c}) { nodes { status } } }"


async def test_a_campaign_is_changed_and_deleted_and_a_known_account_refused(
    platform: Platform,
) -> None:
    front = platform.front
    brand = await brand_known_to_partnerships(front)
    campaign_id = await _three_contracts(platform, brand)
    pending = (await front.ask(DELIVERABLES, c=campaign_id))["data"]["deliverables"]["nodes"]
    assert [d["status"] for d in pending] == ["PENDING"] * 3
    changed = await front.ask(
        UPDATE_CAMPAIGN,
        i={"id": campaign_id, "displayName": "Winter", "budgetAmount": "6000.00", "etag": ""},
    )
    assert changed["data"]["updateCampaign"]["campaign"] == {
        "displayName": "Winter", "brief": "",
        "budget": {"amount": "6000.00", "currencyCode": "EUR"},
    }  # fmt: skip
    negative = await front.ask(UPDATE_CAMPAIGN, i={"id": campaign_id, "budgetAmount": "-1"})
    assert code_of(negative) == "NEGATIVE_AMOUNT"
    assert code_of(await front.ask(CREATE_CREATOR, i=_creator("ann"))) == "CREATOR_EXISTS"
    deleted = await front.ask(DELETE_CAMPAIGN, id=campaign_id)
    assert deleted["data"]["deleteCampaign"] == {"deletedId": campaign_id, "errors": []}
    gone = await front.ask("query($id: ID!) { campaign(id: $id) { id } }", id=campaign_id)
    assert code_of(gone) == "CAMPAIGN_NOT_FOUND"


CONTRACT_IDS = "query($c: ID!) { contracts(campaignId: $c) { id } }"
COUPON = "mutation($c: ID!, $k: String!) { createCoupon(input: {contractId: $c, code: $k}) { trackingCode { id code } errors { code reason message field } } }"
CODES = """query($c: ID!) { trackingCodes(campaignId: $c) { nodes { code kind
  contract { creator { displayName } } } } }"""
CONVERSIONS = """query($c: ID!) { conversions(campaignId: $c) { nodes { orderId
  revenue { amount currencyCode } } } }"""


async def report_sale(platform: Platform, campaign: str, code: str, order: str, euros: str) -> None:
    """A shop reports one sale through the gRPC API (GraphQL has no such mutation: shops and
    partners call the service)."""
    async with open_channel(platform.partnerships) as channel:
        await partnerships_pb2_grpc.PartnershipsServiceStub(channel).ReportConversions(
            rpc.ReportConversionsRequest(
                parent=campaign,
                conversions=[
                    pb.Conversion(
                        order_id=order,
                        code=code,
                        revenue=pb.Money(amount=euros, currency_code="EUR"),
                    )
                ],
            ),
            metadata=bearer(platform.front.token),
        )


async def test_coupons_nest_their_contracts_in_one_call_and_list_their_sales(
    platform: Platform, monkeypatch: pytest.MonkeyPatch
) -> None:
    front = platform.front
    brand = await brand_known_to_partnerships(front)
    campaign_id = await _three_contracts(platform, brand)
    contracts = (await front.ask(CONTRACT_IDS, c=campaign_id))["data"]["contracts"]
    codes = []
    for index, contract in enumerate(contracts):
        made = await front.ask(COUPON, c=contract["id"], k=f"ROAST{index}")
        codes.append(made["data"]["createCoupon"]["trackingCode"])
    asked: list[str] = []
    call = Context.call

    async def counted(self: Context, rpc: Any, request: Any) -> Any:
        asked.append(type(request).__name__)
        return await call(self, rpc, request)

    monkeypatch.setattr(Context, "call", counted)
    listed = (await front.ask(CODES, c=campaign_id))["data"]["trackingCodes"]["nodes"]
    assert sorted(n["contract"]["creator"]["displayName"] for n in listed) == ["Ann", "Ben", "Cat"]
    assert {n["kind"] for n in listed} == {"COUPON"}
    assert sorted(asked) == [
        "BatchGetContractsRequest", "BatchGetCreatorsRequest", "ListTrackingCodesRequest"
    ]  # fmt: skip
    # A retry with the same requestId returns the first coupon: one more code, not two.
    once = """mutation($c: ID!) { createCoupon(input: {contractId: $c, requestId: "coupon-1"})
      { trackingCode { id code } errors { code } } }"""
    retried = [(await front.ask(once, c=contracts[0]["id"]))["data"]["createCoupon"] for _ in "ab"]
    assert retried[0]["trackingCode"] == retried[1]["trackingCode"] and not retried[1]["errors"]
    relisted = (await front.ask(CODES, c=campaign_id))["data"]["trackingCodes"]["nodes"]
    assert len(relisted) == len(listed) + 1
    await report_sale(platform, campaign_id, "ROAST0", "o-1", "49.90")
    sales = (await front.ask(CONVERSIONS, c=campaign_id))["data"]["conversions"]["nodes"]
    assert sales == [{"orderId": "o-1", "revenue": {"amount": "49.90", "currencyCode": "EUR"}}]
    deleted = await front.ask(
        "mutation($id: ID!) { deleteTrackingCode(input: {id: $id}) { deletedId errors { code reason message field } } }",
        id=codes[0]["id"],
    )
    assert deleted["data"]["deleteTrackingCode"]["deletedId"] == codes[0]["id"]
    left = (await front.ask(CODES, c=campaign_id))["data"]["trackingCodes"]["nodes"]
    retried_code = retried[0]["trackingCode"]["code"]
    assert sorted(n["code"] for n in left) == sorted(["ROAST1", "ROAST2", retried_code])


UPDATE_CONTRACT = """mutation($i: UpdateContractInput!) {
  updateContract(input: $i) { contract { fee { amount currencyCode } paymentTerms status } errors { code reason message field } } }"""


async def test_a_proposed_contract_is_changed_and_empty_or_negative_changes_refused(
    platform: Platform,
) -> None:
    front = platform.front
    brand = await brand_known_to_partnerships(front)
    campaign_id = await _three_contracts(platform, brand)
    contract_id = (await front.ask(CONTRACT_IDS, c=campaign_id))["data"]["contracts"][0]["id"]
    changed = await front.ask(
        UPDATE_CONTRACT, i={"id": contract_id, "feeAmount": "150.00", "paymentTerms": "30 days"}
    )
    assert changed["data"]["updateContract"]["contract"] == {
        "fee": {"amount": "150.00", "currencyCode": "EUR"}, "paymentTerms": "30 days",
        "status": "PROPOSED",
    }  # fmt: skip
    assert code_of(await front.ask(UPDATE_CONTRACT, i={"id": contract_id})) == "INVALID_ARGUMENT"
    negative = await front.ask(UPDATE_CONTRACT, i={"id": contract_id, "feeAmount": "-5.00"})
    assert code_of(negative) == "NEGATIVE_AMOUNT"
    empty = await front.ask(UPDATE_CAMPAIGN, i={"id": campaign_id})
    assert code_of(empty) == "INVALID_ARGUMENT"


async def test_creators_are_sorted_by_a_field_best_first_and_ascending_is_refused(
    platform: Platform,
) -> None:
    front = platform.front
    for handle, followers in (("ann", 5000), ("ben", 90000)):
        account = {"network": "bluesky", "handle": f"{handle}.test", "followersCount": followers}
        made = await front.ask(
            CREATE_CREATOR, i={"displayName": handle.title(), "accounts": [account]}
        )
        assert succeeded(made), made
    search = """query($o: CreatorOrder) { searchCreators(orderBy: $o) {
      nodes { displayName } } }"""
    by_followers = await front.ask(search, o={"field": "FOLLOWERS"})
    assert [n["displayName"] for n in by_followers["data"]["searchCreators"]["nodes"]] == [
        "Ben", "Ann",
    ]  # fmt: skip
    ascending = await front.ask(search, o={"field": "FOLLOWERS", "direction": "ASC"})
    assert refusal(ascending) == "INVALID_ARGUMENT"


READ_BACK = """query($ids: [ID!]!) { nodes(ids: $ids) { __typename id
  ... on Deliverable { status } ... on Conversion { orderId } ... on FxRate { rate } } }"""


async def test_deliverables_conversions_and_rates_are_read_back_by_their_global_ids(
    platform: Platform,
) -> None:
    front = platform.front
    brand = await brand_known_to_partnerships(front)
    campaign_id = await _three_contracts(platform, brand)
    deliverable = (
        await front.ask(
            "query($c: ID!) { deliverables(filter: {campaignId: $c}) { nodes { id } } }",
            c=campaign_id,
        )
    )["data"]["deliverables"]["nodes"][0]["id"]
    contract = (await front.ask(CONTRACT_IDS, c=campaign_id))["data"]["contracts"][0]["id"]
    await front.ask(COUPON, c=contract, k="NODE0")
    await report_sale(platform, campaign_id, "NODE0", "o-node", "10.00")
    sale = await front.ask(
        "query($c: ID!) { conversions(campaignId: $c) { nodes { id } } }", c=campaign_id
    )
    conversion = sale["data"]["conversions"]["nodes"][0]["id"]
    rate = (
        await front.ask(
            SET_RATE,
            i={
                "baseCurrency": "EUR",
                "quoteCurrency": "USD",
                "rate": "1.08",
                "effectiveDate": "2026-12-01",
            },
        )
    )["data"]["setFxRate"]["fxRate"]["id"]
    found = await front.ask(READ_BACK, ids=[deliverable, conversion, rate, rate + "x"])
    assert found["data"]["nodes"][:3] == [
        {"__typename": "Deliverable", "id": deliverable, "status": "PENDING"},
        {"__typename": "Conversion", "id": conversion, "orderId": "o-node"},
        {"__typename": "FxRate", "id": rate, "rate": "1.08"},
    ]
    assert found["data"]["nodes"][3] is None
    assert [e["extensions"]["status"] for e in found["errors"]] == ["NOT_FOUND"]
