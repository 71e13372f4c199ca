"""No N+1: a nested field costs the same gRPC calls whether its parent list has 1 item or 20.

Every service runs (directory, listener, reputation, partnerships, publisher; SQLite + embedded
NATS, or the servers), seeded through their gRPC APIs: 20 brands with a competitor, 20 members,
20 listening queries, 20 mentions pushed by a partner and scored, 20 contracts with a tracking
code; and through GraphQL a social account and 20 draft posts. Each nested field is asked under
a list of 1 and of 20 items through the gateway over HTTP, counting the gateway's calls per RPC
method (`Context.call`, through which every unary call goes): the counts must be equal and the
field's BatchGet called once. A nested connection (a page of its own, with its own cursor and
order) cannot be batched: its List is called once per parent that asks, and nothing else grows.
A nested field the schema gains without a case here fails `test_every_nested_field_has_a_case`."""

import dataclasses
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import grpc
import pytest
from google.protobuf.timestamp_pb2 import Timestamp
from vigie.directory.v1 import directory_pb2 as directory
from vigie.directory.v1 import directory_pb2_grpc
from vigie.directory.v1 import resources_pb2 as directory_pb
from vigie.listener.v1 import listener_pb2 as listener
from vigie.listener.v1 import listener_pb2_grpc
from vigie.listener.v1 import resources_pb2 as listener_pb
from vigie.partnerships.v1 import partnerships_pb2 as partnerships
from vigie.partnerships.v1 import partnerships_pb2_grpc
from vigie.partnerships.v1 import resources_pb2 as partnerships_pb
from vigie.reputation.v1 import reputation_pb2 as reputation
from vigie.reputation.v1 import reputation_pb2_grpc
from vigie_directory.testing import ADMIN_PASSWORD
from vigie_gateway.config import Settings
from vigie_gateway.context import Context
from vigie_gateway.schema import build_schema
from vigie_gateway.testing import Front
from vigie_runtime.grpc_client import bearer, open_channel
from vigie_runtime.testing.waiting import eventually

N = 20
NOW = datetime.now(UTC).replace(microsecond=0)

# Nested fields whose value is not an object a BatchGet could return, and why.
NOT_OBJECTS = {
    "Report.contentBase64": "the report file's bytes, streamed by DownloadReport one report at "
    "a time; reports are listed without them",
}


@dataclass(frozen=True)
class Case:
    """A query whose list has `n` items, and each nested field it asks with its BatchGet."""

    fields: dict[str, str]  # "Type.field" -> the RPC method that must be called once
    query: str
    variables: Callable[["World", int], dict[str, Any]]
    # "Type.field" -> the List method a nested connection calls once per parent
    per_parent: dict[str, str] = dataclasses.field(default_factory=dict)


@dataclass
class World:
    front: Front
    subsidiary: str
    brands: list[str]
    one_contract: str  # a campaign with one contract (and one brand)
    many_contracts: str  # a campaign with N contracts, each with a tracking code (N brands)
    after_admin: str  # the members' cursor after the group admin (who holds no subsidiary)


CASES = [
    Case(
        {"Brand.subsidiary": "BatchGetSubsidiaries", "Brand.competitors": "BatchGetBrands"},
        "query($n: Int!) { brands(first: $n, filter: {kind: OWN}) { nodes { id subsidiary { id } "
        "competitors { id } } } }",
        lambda w, n: {"n": n},
    ),
    Case(
        {"RoleGrant.subsidiary": "BatchGetSubsidiaries"},
        "query($n: Int!, $s: ID!, $a: String) { members(first: $n, filter: {subsidiaryId: $s}, after: $a) "
        "{ nodes { id roles { subsidiary { id } } } } }",
        lambda w, n: {"n": n, "s": w.subsidiary, "a": w.after_admin},
    ),
    Case(
        {"ListeningQuery.brand": "BatchGetBrands"},
        "query($n: Int!) { listeningQueries(first: $n) { nodes { id brand { id } } } }",
        lambda w, n: {"n": n},
    ),
    Case(
        {
            "Mention.brand": "BatchGetBrands",
            "Mention.matchedQueries": "BatchGetListeningQueries",
            "Mention.sentiment": "BatchGetMentionSentiments",
        },
        "query($n: Int!) { mentions(first: $n) { nodes { id brand { id } "
        "matchedQueries { id } sentiment { label } } } }",
        lambda w, n: {"n": n},
    ),
    Case(
        {"MentionCount.brand": "BatchGetBrands"},
        "query($b: [ID!]!, $s: DateTime!, $e: DateTime!) { mentionCounts(brandIds: $b, "
        "start: $s, end: $e, interval: DAY) { count brand { id } } }",
        lambda w, n: {
            "b": w.brands[:n],
            "s": (NOW - timedelta(hours=2)).isoformat(),
            "e": (NOW + timedelta(hours=1)).isoformat(),
        },
    ),
    Case(
        {
            "Contract.creator": "BatchGetCreators",
            "Contract.campaign": "BatchGetCampaigns",
            "Campaign.brands": "BatchGetBrands",
        },
        "query($c: ID!) { contracts(campaignId: $c) { id creator { id } "
        "campaign { id brands { id } } } }",
        lambda w, n: {"c": w.one_contract if n == 1 else w.many_contracts},
    ),
    Case(
        {"InboxItem.mention": "BatchGetMentions"},
        "query($s: ID!, $n: Int!) { inboxItems(scopeId: $s, first: $n) { nodes { id "
        "mention { id } } } }",
        lambda w, n: {"s": w.subsidiary, "n": n},
    ),
    Case(
        {"Brand.subsidiary": "BatchGetSubsidiaries"},
        "query($n: Int!) { brands(first: $n, filter: {kind: OWN}) { nodes { id subsidiary { id } "
        "socialAccounts(first: 1) { totalCount nodes { id } } } } }",
        lambda w, n: {"n": n},
        per_parent={"Brand.socialAccounts": "ListSocialAccounts"},
    ),
    Case(
        {},
        "query($n: Int!) { posts(first: $n) { nodes { id publications(first: 1) { totalCount "
        "nodes { id } } } } }",
        lambda w, n: {"n": n},
        per_parent={"Post.publications": "ListPublications"},
    ),
    Case(
        {"TrackingCode.contract": "BatchGetContracts", "Contract.campaign": "BatchGetCampaigns"},
        "query($c: ID!, $n: Int!) { trackingCodes(campaignId: $c, first: $n) { nodes { id "
        "contract { campaign { contracts(first: 1) { totalCount nodes { id } } } } } } }",
        lambda w, n: {"c": w.many_contracts, "n": n},
        per_parent={"Campaign.contracts": "ListContracts"},
    ),
    Case(
        {"TrackingCode.contract": "BatchGetContracts"},
        "query($c: ID!, $n: Int!) { trackingCodes(campaignId: $c, first: $n) { nodes { id "
        "contract { id } } } }",
        lambda w, n: {"c": w.many_contracts, "n": n},
    ),
]


def nested_fields() -> set[str]:
    """Every field of a non-root type that has its own resolver, as `Type.field`."""
    schema = build_schema(Settings())
    found = set()
    for name, kind in schema.schema_converter.type_map.items():
        if name in {"Query", "Mutation", "Subscription"}:
            continue
        for field in getattr(kind.definition, "fields", []):
            if field.base_resolver is not None:
                found.add(
                    f"{name}.{field.graphql_name or schema.config.name_converter.get_graphql_name(field)}"
                )
    return found


def test_every_nested_field_has_a_case() -> None:
    covered = {name for case in CASES for name in (*case.fields, *case.per_parent)}
    covered |= set(NOT_OBJECTS)
    missing = sorted(nested_fields() - covered)
    assert not missing, f"nested fields with no N+1 case here: {', '.join(missing)}"


class Calls:
    """The gateway's gRPC calls per method, while `counting` is on."""

    def __init__(self) -> None:
        self.methods: Counter[str] = Counter()

    def install(self, monkeypatch: pytest.MonkeyPatch) -> None:
        call = Context.call
        methods = self.methods

        async def counted(self: Context, rpc: Any, request: Any) -> Any:
            methods[rpc._method.decode().rsplit("/", 1)[-1]] += 1
            return await call(self, rpc, request)

        monkeypatch.setattr(Context, "call", counted)


async def counted(front: Front, calls: Calls, case: Case, world: World, n: int) -> Counter[str]:
    calls.methods.clear()
    answer = await front.ask(case.query, **case.variables(world, n))
    assert not answer.get("errors"), (list(case.fields), n, answer["errors"])
    assert _items(answer["data"]) == n, (list(case.fields), n, answer["data"])
    return Counter(calls.methods)


def _items(data: dict[str, Any]) -> int:
    """How many parents the list had (mention counts: how many brands they count)."""
    (value,) = data.values()
    listed = value["nodes"] if isinstance(value, dict) else value
    if listed and "count" in listed[0]:
        return len({item["brand"]["id"] for item in listed})
    return len(listed)


async def test_a_nested_field_costs_one_batch_for_1_or_20_items(world: World, calls: Calls) -> None:
    failures = []
    for case in CASES:
        one = await counted(world.front, calls, case, world, 1)
        many = await counted(world.front, calls, case, world, N)
        for name, method in case.fields.items():
            if one[method] != 1 or many[method] != 1:
                failures.append(f"{name}: {method} x{one[method]} for 1, x{many[method]} for {N}")
        for name, method in case.per_parent.items():
            if one.pop(method, 0) != 1 or many.pop(method, 0) != N:
                failures.append(f"{name}: {method} not once per parent")
        if one != many:
            fields = ", ".join((*case.fields, *case.per_parent))
            failures.append(f"{fields}: {dict(one)} for 1 item, {dict(many)} for {N}")
    assert not failures, "not batched:\n" + "\n".join(failures)


# --- the platform and its data, made through the services' gRPC APIs -----------------------


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> Calls:
    counter = Calls()
    counter.install(monkeypatch)
    return counter


@pytest.fixture
async def world(behind_gateway: Any) -> AsyncIterator[World]:
    from vigie_gateway.testing import graphql_front

    platform = await behind_gateway("listener", "reputation", "partnerships", "publisher")
    async with graphql_front(platform.app) as front:
        seeded = await Seeder.start(platform)
        front.token = seeded.token
        yield await seeded.world(front)
        await seeded.close()


def stamp(moment: datetime) -> Timestamp:
    result = Timestamp()
    result.FromDatetime(moment)
    return result


FIRST_MEMBER = (
    "query($s: ID!) { members(first: 1, filter: {subsidiaryId: $s}) { pageInfo { endCursor } } }"
)


class Seeder:
    def __init__(self, targets: dict[str, str], tenant: str, token: str) -> None:
        self.tenant, self.token = tenant, token
        self.auth = bearer(token)
        self.channels = {name: open_channel(target) for name, target in targets.items()}
        self.directory = directory_pb2_grpc.DirectoryServiceStub(self.channels["directory"])
        self.listener = listener_pb2_grpc.ListenerServiceStub(self.channels["listener"])
        self.reputation = reputation_pb2_grpc.ReputationServiceStub(self.channels["reputation"])
        self.partnerships = partnerships_pb2_grpc.PartnershipsServiceStub(
            self.channels["partnerships"]
        )

    @classmethod
    async def start(cls, platform: Any) -> "Seeder":
        targets = dict(platform.targets)
        tenant = platform.tenants["Acme Group"]
        async with open_channel(targets["directory"]) as channel:
            login = await directory_pb2_grpc.DirectoryServiceStub(channel).Login(
                directory.LoginRequest(email="admin@acme.test", password=ADMIN_PASSWORD)
            )
        return cls(targets, tenant, login.token)

    async def close(self) -> None:
        for channel in self.channels.values():
            await channel.close()

    async def world(self, front: Front) -> World:
        subsidiary, brands = await self.brands()
        await self.members(subsidiary)
        await self.mentions(brands)
        one = await self.campaign(brands[:1], 1)
        many = await self.campaign(brands, N)
        await eventually(lambda: self._inbox_opened(front, subsidiary), 120)
        await self.posts(front, brands)
        first = await front.ask(FIRST_MEMBER, s=subsidiary)
        after_admin = first["data"]["members"]["pageInfo"]["endCursor"]
        return World(front, subsidiary, brands, one, many, after_admin)

    async def brands(self) -> tuple[str, list[str]]:
        subsidiary = await self.directory.CreateSubsidiary(
            directory.CreateSubsidiaryRequest(
                parent=self.tenant,
                subsidiary=directory_pb.Subsidiary(
                    display_name="France", country="FR", locale="fr-FR", time_zone="Europe/Paris"
                ),
            ),
            metadata=self.auth,
        )
        rival = await self._brand(subsidiary.name, "Rival", directory_pb.BRAND_KIND_COMPETITOR, [])
        brands = [
            await self._brand(subsidiary.name, f"Brand{i}", directory_pb.BRAND_KIND_OWN, [rival])
            for i in range(N)
        ]
        return subsidiary.name, brands

    async def _brand(
        self, subsidiary: str, name: str, kind: directory_pb.BrandKind.ValueType, rivals: list[str]
    ) -> str:
        brand = directory_pb.Brand(
            subsidiary=subsidiary, display_name=name, kind=kind, competitors=rivals
        )
        made = await self.directory.CreateBrand(
            directory.CreateBrandRequest(parent=self.tenant, brand=brand), metadata=self.auth
        )
        return str(made.name)

    async def members(self, subsidiary: str) -> None:
        for i in range(N):
            grant = directory_pb.RoleGrant(
                role=directory_pb.ROLE_COMMUNITY_MANAGER, subsidiary=subsidiary
            )
            member = directory_pb.Member(
                email=f"cm{i}@acme.test", display_name=f"CM {i}", roles=[grant]
            )
            await self.directory.CreateMember(
                directory.CreateMemberRequest(
                    parent=self.tenant, member=member, password="a-long-password-1234"
                ),
                metadata=self.auth,
            )

    async def mentions(self, brands: list[str]) -> None:
        """A query per brand, then a partner pushes one mention per brand; all get scored."""
        for i, brand in enumerate(brands):
            query = listener_pb.ListeningQuery(display_name="name", query=f"brand{i}", active=True)
            request = listener.CreateListeningQueryRequest(parent=brand, listening_query=query)
            await eventually(self._accepted(self.listener.CreateListeningQuery, request), 90)
        partner = await self._partner_token(brands)
        source = await self.listener.CreateSource(
            listener.CreateSourceRequest(
                parent=self.tenant,
                source=listener_pb.Source(
                    display_name="agency", kind=listener_pb.SOURCE_KIND_PARTNER, enabled=True,
                    partner=listener_pb.PartnerSourceConfig(partner_client=partner[0]),
                ),
            ),
            metadata=self.auth,
        )  # fmt: skip
        pushed = [self._pushed(source.name, i, brand) for i, brand in enumerate(brands)]

        async def stream() -> AsyncIterator[listener.IngestMentionsRequest]:
            for item in pushed:
                yield item

        answer = await self.listener.IngestMentions(stream(), metadata=bearer(partner[1]))
        assert answer.accepted_count == N, answer.refusals
        names = [f"{brand}/mentions" for brand in brands]
        await eventually(lambda: self._all_scored(names), 120)

    async def posts(self, front: Front, brands: list[str]) -> None:
        """Once every brand reached the publisher: an account of the first and N drafts on it."""
        await eventually(lambda: self._brands_published(front), 90)
        account = {"brandId": brands[0], "network": "MASTODON", "handle": "@b0@m.test",
                   "timeZone": "Europe/Paris",
                   "credentials": {"mastodon": {"instanceUrl": "https://m.test", "accessToken": "t"}}}  # fmt: skip
        made = await front.ask(
            "mutation($i: ConnectSocialAccountInput!) { connectSocialAccount(input: $i) "
            "{ socialAccount { id } } }",
            i=account,
        )
        account_id = made["data"]["connectSocialAccount"]["socialAccount"]["id"]
        for i in range(N):
            draft = {"brandId": brands[0], "socialAccountIds": [account_id],
                     "variants": [{"network": "MASTODON", "text": f"Post {i}"}]}  # fmt: skip
            answer = await front.ask(
                "mutation($i: CreatePostInput!) { createPost(input: $i) { post { id } } }", i=draft
            )
            assert answer["data"]["createPost"]["post"], answer

    @staticmethod
    async def _brands_published(front: Front) -> bool:
        """Every own brand is known to the publisher: their accounts can be listed."""
        answer = await front.ask(
            "{ brands(first: 50, filter: {kind: OWN}) { nodes { socialAccounts { totalCount } } } }"
        )
        return not answer.get("errors")

    @staticmethod
    async def _inbox_opened(front: Front, subsidiary: str) -> bool:
        """Every pushed mention asks a question: each has opened an inbox item."""
        answer = await front.ask(
            "query($s: ID!) { inboxItems(scopeId: $s, first: 50) { nodes { id } } }", s=subsidiary
        )
        return len((answer.get("data") or {}).get("inboxItems", {}).get("nodes", [])) == N

    @staticmethod
    def _pushed(source: str, i: int, brand: str) -> listener.IngestMentionsRequest:
        """Mention `i`, of `brand`, matching the brand's listening query."""
        return listener.IngestMentionsRequest(
            source=source, external_id=f"m{i}",
            mention=listener_pb.Mention(
                brand=brand, text=f"I love brand{i}, wonderful! Do you ship to Lyon?", language="en",
                publish_time=stamp(NOW - timedelta(minutes=30)),
                author=listener_pb.MentionAuthor(handle=f"@fan{i}", followers_count=10),
            ),
        )  # fmt: skip

    def _accepted(self, rpc: Any, request: Any) -> Callable[[], Awaitable[bool]]:
        """Whether the call went through (not yet when its brand has not reached the service)."""

        async def accepted() -> bool:
            try:
                await rpc(request, metadata=self.auth)
            except grpc.aio.AioRpcError:
                return False
            return True

        return accepted

    async def _partner_token(self, brands: list[str]) -> tuple[str, str]:
        made = await self.directory.CreatePartnerClient(
            directory.CreatePartnerClientRequest(
                parent=self.tenant,
                partner_client=directory_pb.PartnerClient(
                    display_name="agency", brands=brands, scopes=["mentions.ingest"]
                ),
            ),
            metadata=self.auth,
        )
        token = await self.directory.IssuePartnerToken(
            directory.IssuePartnerTokenRequest(
                client_id=made.partner_client.client_id, client_secret=made.client_secret
            )
        )
        return made.partner_client.name, token.token

    async def _all_scored(self, mention_parents: list[str]) -> bool:
        listed = await self.listener.ListMentions(
            listener.ListMentionsRequest(parent=self.tenant, page_size=100), metadata=self.auth
        )
        if len(listed.mentions) < N:
            return False
        names = [f"{m.name}/sentiment" for m in listed.mentions]
        found = await self.reputation.BatchGetMentionSentiments(
            reputation.BatchGetMentionSentimentsRequest(
                parent=self.tenant, names=names, skip_missing=True
            ),
            metadata=self.auth,
        )
        return len(found.sentiments) == len(names)

    async def campaign(self, brands: list[str], contracts: int) -> str:
        """A campaign of `brands` with `contracts` signed contracts, each with a coupon."""
        request = partnerships.CreateCampaignRequest(
            parent=self.tenant, request_id=f"campaign-{contracts}",
            campaign=partnerships_pb.Campaign(
                display_name="Autumn", brands=brands, start_time=stamp(NOW - timedelta(days=1)),
                end_time=stamp(NOW + timedelta(days=365)),
                budget=partnerships_pb.Money(amount="5000.00", currency_code="EUR"),
            ),
        )  # fmt: skip
        # Refused until its brands reach the service; the request id makes the retries one.
        await eventually(self._accepted(self.partnerships.CreateCampaign, request), 90)
        made = await self.partnerships.CreateCampaign(request, metadata=self.auth)
        name = made.name
        for i in range(contracts):
            await self._contract(name, f"{name.rsplit('/', 1)[-1]}-{i}")
        return str(name)

    async def _contract(self, campaign: str, key: str) -> None:
        creator = await self.partnerships.CreateCreator(
            partnerships.CreateCreatorRequest(
                parent=self.tenant,
                creator=partnerships_pb.Creator(
                    display_name=key,
                    accounts=[partnerships_pb.CreatorAccount(
                        network="bluesky", handle=f"{key.lower()}.test", followers_count=5000
                    )],
                ),
            ),
            metadata=self.auth,
        )  # fmt: skip
        deliverable = partnerships_pb.Deliverable(
            network="bluesky", kind=partnerships_pb.DELIVERABLE_KIND_POST, count=1,
            due_time=stamp(NOW + timedelta(days=30)),
            required_hashtags=["#autumn"], disclosure="#ad",
        )  # fmt: skip
        contract = await self.partnerships.CreateContract(
            partnerships.CreateContractRequest(
                parent=campaign,
                contract=partnerships_pb.Contract(
                    creator=creator.name, deliverables=[deliverable],
                    fee=partnerships_pb.Money(amount="100.00", currency_code="EUR"),
                ),
            ),
            metadata=self.auth,
        )  # fmt: skip
        await self.partnerships.CreateTrackingCode(
            partnerships.CreateTrackingCodeRequest(
                parent=campaign,
                tracking_code=partnerships_pb.TrackingCode(
                    contract=contract.name, kind=partnerships_pb.TRACKING_CODE_KIND_COUPON,
                    code=f"C{key.upper().replace('-', '')}",
                ),
            ),
            metadata=self.auth,
        )  # fmt: skip
