"""A campaign's contracts, a brand's social accounts and a post's publications as connections
of their parent (`Campaign.contracts`, `Brand.socialAccounts`, `Post.publications`): paged,
filtered, sorted and counted through GraphQL against a real directory, publisher and
partnerships; the plain root lists they replace still answer, marked deprecated."""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from vigie_directory.testing import ADMIN_PASSWORD
from vigie_gateway.testing import Front, graphql_front, refusal
from vigie_partnerships.testing import CREATE_CONTRACT, SIGN_CONTRACT, contract_input
from vigie_partnerships.testing import create_campaign as a_campaign
from vigie_runtime.testing.waiting import eventually

SUBSIDIARY = """mutation { createSubsidiary(input: {displayName: "France", country: "FR",
  locale: "fr-FR", timeZone: "Europe/Paris"}) { subsidiary { id } } }"""
BRAND = """mutation($s: ID!, $n: String!, $k: BrandKind!) { createBrand(input: {subsidiaryId: $s,
  displayName: $n, kind: $k}) { brand { id } } }"""
CONNECT = """mutation($i: ConnectSocialAccountInput!) { connectSocialAccount(input: $i) {
  socialAccount { id } errors { reason } } }"""
CREATE_POST = """mutation($i: CreatePostInput!) { createPost(input: $i) { post { id }
  errors { reason } } }"""
SUBMIT = "mutation($id: ID!) { submitPost(input: {id: $id}) { errors { reason } } }"
SCHEDULE = """mutation($id: ID!, $at: DateTime) { schedulePost(input: {id: $id, at: $at}) {
  errors { reason } } }"""
CREATE_CREATOR = """mutation($i: CreateCreatorInput!) { createCreator(input: $i) {
  creator { id } errors { reason } } }"""

ACCOUNTS = """query($b: ID!, $first: Int!, $after: String, $filter: SocialAccountFilter,
  $order: SocialAccountOrder) { brands(first: 10) { nodes { id kind socialAccounts(first: $first,
  after: $after, filter: $filter, orderBy: $order) { totalCount nodes { handle }
  pageInfo { hasNextPage endCursor } } } } brand(id: $b) { id } }"""
PUBLICATIONS = """query($p: ID!, $first: Int!, $after: String, $filter: PublicationFilter,
  $order: PublicationOrder) { post(id: $p) { publications(first: $first, after: $after,
  filter: $filter, orderBy: $order) { totalCount nodes { socialAccountId state }
  pageInfo { hasNextPage endCursor } } } }"""
CONTRACTS = """query($c: ID!, $first: Int!, $after: String, $filter: ContractFilter,
  $order: ContractOrder) { campaign(id: $c) { contracts(first: $first, after: $after,
  filter: $filter, orderBy: $order) { totalCount nodes { fee { amount } status creatorId }
  pageInfo { hasNextPage endCursor } } } }"""
KEYWORDS = "query($b: ID!) { brandSafetyKeywords(brandId: $b) { etag } }"
DEPRECATED = """query { __type(name: "Query") { fields(includeDeprecated: true) { name
  isDeprecated deprecationReason } } }"""

HANDLES = ["@cyan@m.test", "@amber@m.test", "@blue@m.test"]  # in the order connected
FEES = ["300.00", "1000.00", "50.00"]  # as text "1000.00" < "300.00" < "50.00"


def data(answer: dict[str, Any]) -> dict[str, Any]:
    assert not answer.get("errors"), answer
    return answer["data"]  # type: ignore[no-any-return]


def mutated(answer: dict[str, Any]) -> dict[str, Any]:
    (payload,) = data(answer).values()
    assert not payload["errors"], payload
    return payload  # type: ignore[no-any-return]


class World:
    """One group with an own brand (three accounts, a post scheduled on them, a campaign with
    three contracts) and a competitor, served by the publisher and the partnerships."""

    def __init__(self, front: Front) -> None:
        self.front = front
        self.brand = self.rival = self.post = self.campaign = ""
        self.accounts: list[str] = []
        self.creators: list[str] = []

    async def make(self) -> "World":
        ask = self.front.ask
        subsidiary = data(await ask(SUBSIDIARY))["createSubsidiary"]["subsidiary"]["id"]
        self.brand = await self._brand(subsidiary, "Lumière", "OWN")
        self.rival = await self._brand(subsidiary, "Rival", "COMPETITOR")
        for handle in HANDLES:
            self.accounts.append(await self._account(handle))
        await self._post()
        await self._contracts()
        return self

    async def _brand(self, subsidiary: str, name: str, kind: str) -> str:
        made = await self.front.ask(BRAND, s=subsidiary, n=name, k=kind)
        return str(data(made)["createBrand"]["brand"]["id"])

    async def _account(self, handle: str) -> str:
        credentials = {"mastodon": {"instanceUrl": "https://m.test", "accessToken": "t"}}
        account = {"brandId": self.brand, "network": "MASTODON", "handle": handle,
                   "timeZone": "Europe/Paris", "credentials": credentials}  # fmt: skip
        made: dict[str, Any] = {}

        async def connected() -> bool:  # once the brand reached the publisher
            made.update(await self.front.ask(CONNECT, i=account))
            return bool(made["data"]["connectSocialAccount"]["socialAccount"])

        await eventually(connected)
        return str(made["data"]["connectSocialAccount"]["socialAccount"]["id"])

    async def _post(self) -> None:
        ask = self.front.ask
        draft = {"brandId": self.brand, "socialAccountIds": self.accounts,
                 "variants": [{"network": "MASTODON", "text": "Bonjour"}]}  # fmt: skip
        self.post = mutated(await ask(CREATE_POST, i=draft))["post"]["id"]
        mutated(await ask(SUBMIT, id=self.post))  # no approval policy: approved at once
        at = (datetime.now(UTC) + timedelta(days=2)).isoformat()
        mutated(await ask(SCHEDULE, id=self.post, at=at))

    async def _contracts(self) -> None:
        ask = self.front.ask

        async def known() -> bool:  # once the brand reached the partnerships
            return (await ask(KEYWORDS, b=self.brand)).get("data") is not None

        await eventually(known)
        self.campaign = await a_campaign(self.front, self.brand)
        contracts = []
        for index, fee in enumerate(FEES):
            creator = {"displayName": f"C{index}", "topics": ["coffee"],
                       "accounts": [{"network": "bluesky", "handle": f"c{index}.test"}]}  # fmt: skip
            self.creators.append(mutated(await ask(CREATE_CREATOR, i=creator))["creator"]["id"])
            terms = contract_input(self.campaign, self.creators[-1], fee, "Roast")
            contracts.append(mutated(await ask(CREATE_CONTRACT, i=terms))["contract"]["id"])
        data(await ask(SIGN_CONTRACT, id=contracts[2]))


@pytest.fixture
async def world(behind_gateway: Any) -> Any:
    platform = await behind_gateway("publisher", "partnerships")
    async with graphql_front(platform.app) as front:
        await front.log_in("admin@acme.test", ADMIN_PASSWORD)
        yield await World(front).make()


async def every_page(
    front: Front, query: str, pick: Any, first: int = 2, **variables: Any
) -> tuple[list[Any], int]:
    """Every node of a connection, `first` per page, and the totalCount each page gave."""
    nodes: list[Any] = []
    totals = set()
    after = None
    while True:
        page = pick(data(await front.ask(query, first=first, after=after, **variables)))
        nodes.extend(page["nodes"])
        totals.add(page["totalCount"])
        if not page["pageInfo"]["hasNextPage"]:
            assert len(totals) == 1, totals
            return nodes, totals.pop()
        after = page["pageInfo"]["endCursor"]


def own_accounts(world: World) -> Any:
    def pick(answer: dict[str, Any]) -> dict[str, Any]:
        brands = {b["id"]: b for b in answer["brands"]["nodes"]}
        rival = brands[world.rival]["socialAccounts"]
        assert rival["nodes"] == [] and rival["totalCount"] == 0  # a competitor has none
        return brands[world.brand]["socialAccounts"]  # type: ignore[no-any-return]

    return pick


async def test_a_brands_social_accounts_are_paged_sorted_filtered_and_counted(
    world: World,
) -> None:
    pick = own_accounts(world)
    for direction in ("ASC", "DESC"):
        order = {"field": "HANDLE", "direction": direction}
        nodes, counted = await every_page(world.front, ACCOUNTS, pick, b=world.brand, order=order)
        assert [n["handle"] for n in nodes] == sorted(HANDLES, reverse=direction == "DESC")
        assert counted == len(HANDLES)
    nodes, _ = await every_page(world.front, ACCOUNTS, pick, b=world.brand)
    assert [n["handle"] for n in nodes] == HANDLES  # oldest first when left out
    for filter, expected in (
        ({"network": "MASTODON", "tokenHealth": "OK"}, 3),
        ({"network": "BLUESKY"}, 0),
        ({"tokenHealth": "EXPIRED"}, 0),
    ):
        nodes, counted = await every_page(
            world.front, ACCOUNTS, pick, first=1, b=world.brand, filter=filter
        )
        assert (len(nodes), counted) == (expected, expected), filter


async def test_a_posts_publications_are_paged_sorted_filtered_and_counted(world: World) -> None:
    def pick(answer: dict[str, Any]) -> dict[str, Any]:
        return answer["post"]["publications"]  # type: ignore[no-any-return]

    front = world.front
    oldest, counted = await every_page(front, PUBLICATIONS, pick, p=world.post)
    assert counted == 3 and sorted(n["socialAccountId"] for n in oldest) == sorted(world.accounts)
    newest, _ = await every_page(
        front, PUBLICATIONS, pick, p=world.post, order={"field": "CREATE_TIME", "direction": "DESC"}
    )
    assert newest == oldest[::-1]
    for filter, expected in (
        ({"states": ["SCHEDULED"]}, 3),
        ({"states": ["PUBLISHED", "FAILED"]}, 0),
        ({"socialAccountId": world.accounts[1]}, 1),
    ):
        nodes, counted = await every_page(front, PUBLICATIONS, pick, p=world.post, filter=filter)
        assert (len(nodes), counted) == (expected, expected), filter


async def test_a_campaigns_contracts_are_paged_sorted_filtered_and_counted(world: World) -> None:
    def pick(answer: dict[str, Any]) -> dict[str, Any]:
        return answer["campaign"]["contracts"]  # type: ignore[no-any-return]

    front, campaign = world.front, world.campaign
    for direction in ("ASC", "DESC"):
        order = {"field": "FEE", "direction": direction}
        nodes, counted = await every_page(front, CONTRACTS, pick, c=campaign, order=order)
        by_amount = sorted(FEES, key=float, reverse=direction == "DESC")
        assert [n["fee"]["amount"] for n in nodes] == by_amount and counted == 3
    by_status, _ = await every_page(front, CONTRACTS, pick, c=campaign, order={"field": "STATUS"})
    assert [n["status"] for n in by_status] == ["PROPOSED", "PROPOSED", "ACTIVE"]
    signed, counted = await every_page(
        front, CONTRACTS, pick, c=campaign, filter={"statuses": ["ACTIVE", "SIGNED"]}
    )
    assert [n["fee"]["amount"] for n in signed] == [FEES[2]] and counted == 1
    theirs, counted = await every_page(
        front, CONTRACTS, pick, c=campaign, filter={"creatorId": world.creators[1]}
    )
    assert [n["creatorId"] for n in theirs] == [world.creators[1]] and counted == 1


async def test_a_cursor_of_one_order_is_refused_with_another(world: World) -> None:
    front = world.front
    first = data(await front.ask(CONTRACTS, c=world.campaign, first=1, order={"field": "FEE"}))[
        "campaign"
    ]["contracts"]["pageInfo"]["endCursor"]
    other = await front.ask(
        CONTRACTS, c=world.campaign, first=1, after=first, order={"field": "STATUS"}
    )
    assert refusal(other) == "INVALID_ARGUMENT"
    published = data(
        await front.ask(PUBLICATIONS, p=world.post, first=1, order={"field": "PUBLISH_TIME"})
    )["post"]["publications"]["pageInfo"]["endCursor"]
    refused = await front.ask(
        PUBLICATIONS, p=world.post, first=1, after=published, order={"field": "SCHEDULE_TIME"}
    )
    assert refusal(refused) == "INVALID_ARGUMENT"


async def test_the_plain_root_lists_still_answer_and_are_deprecated(world: World) -> None:
    front = world.front
    plain = data(
        await front.ask(
            "query($b: ID!, $p: ID!, $c: ID!) { socialAccounts(brandId: $b) { handle } "
            "publications(postId: $p) { state } contracts(campaignId: $c) { id } }",
            b=world.brand, p=world.post, c=world.campaign,
        )
    )  # fmt: skip
    assert [a["handle"] for a in plain["socialAccounts"]] == HANDLES
    assert [p["state"] for p in plain["publications"]] == ["SCHEDULED"] * 3
    assert len(plain["contracts"]) == 3
    fields = data(await front.ask(DEPRECATED))["__type"]["fields"]
    reasons = {f["name"]: f["deprecationReason"] for f in fields if f["isDeprecated"]}
    assert "Campaign.contracts" in reasons["contracts"]
    assert "Brand.socialAccounts" in reasons["socialAccounts"]
    assert "Post.publications" in reasons["publications"]
