"""The publisher through GraphQL, served against a real directory and publisher (with NATS
between them): accounts connected, posts drafted, changed, approved by someone else, scheduled,
their publications' status, queues held and released, schedules cancelled, approval policies;
refusals with their codes; another group's admin sees none of it."""

import asyncio
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from vigie_directory.bootstrap import build as build_directory
from vigie_directory.testing import ADMIN_PASSWORD, bootstrap_tenant, directory_settings
from vigie_gateway.app import create_app
from vigie_gateway.config import Settings as GatewaySettings
from vigie_gateway.testing import Front, graphql_front, refusal
from vigie_publisher.bootstrap import build as build_publisher
from vigie_publisher.config import Settings as PublisherSettings
from vigie_runtime.free_ports import free_port
from vigie_runtime.testing.databases import temporary_database
from vigie_runtime.testing.services import serving
from vigie_runtime.testing.waiting import eventually

MANAGER_PASSWORD = "manager-password-1"


@dataclass
class Platform:
    admin: Front
    manager: Front
    stranger: Front  # another group's admin
    brand: str
    sink: str  # the local endpoint standing in for every network but Bluesky


SINK = Path(__file__).parents[2] / "bench" / "bench_dispatch_sink.py"


@asynccontextmanager
async def counting_sink() -> AsyncIterator[str]:
    """The benchmarks' HTTP sink (it counts publish calls by idempotency key), on a free port."""
    port = free_port()
    process = await asyncio.create_subprocess_exec(sys.executable, str(SINK), str(port))
    url = f"http://127.0.0.1:{port}"
    try:
        async with httpx.AsyncClient(timeout=5) as http:

            async def up() -> bool:
                try:
                    return (await http.get(f"{url}/stats")).status_code == 200
                except httpx.HTTPError:
                    return False

            await eventually(up)
        yield url
    finally:
        process.terminate()
        await process.wait()


SUBSIDIARY = """mutation { createSubsidiary(input: {displayName: "France", country: "FR",
  locale: "fr-FR", timeZone: "Europe/Paris"}) { subsidiary { id } errors { code reason message field } } }"""
BRAND = 'mutation($s: ID!) { createBrand(input: {subsidiaryId: $s, displayName: "Lumière"}) { brand { id } errors { code reason message field } } }'
MEMBER = """mutation($s: ID!, $p: String!) { createMember(input: {email: "smm@acme.test",
  displayName: "Sam", password: $p, roles: [{role: SOCIAL_MEDIA_MANAGER, subsidiaryId: $s}]}) { member { id } errors { code reason message field } } }"""
ACCOUNTS = "query($b: ID!) { socialAccounts(brandId: $b) { id network handle tokenHealth } }"
CONNECT = """mutation($i: ConnectSocialAccountInput!) { connectSocialAccount(input: $i) { socialAccount {
  id network handle timeZone tokenHealth tokenExpiresAt } errors { code reason message field } } }"""
POST_FIELDS = "id status etag scheduledAt variants { network text } approvalTrail { action }"
CREATE_POST = f"mutation($i: CreatePostInput!) {{ createPost(input: $i) {{ post {{ {POST_FIELDS} }} errors {{ code reason message field }} }} }}"
UPDATE_POST = f"mutation($i: UpdatePostInput!) {{ updatePost(input: $i) {{ post {{ {POST_FIELDS} }} errors {{ code reason message field }} }} }}"
SUBMIT = f"mutation($id: ID!) {{ submitPost(input: {{id: $id}}) {{ post {{ {POST_FIELDS} }} errors {{ code reason message field }} }} }}"
APPROVE = f'mutation($id: ID!) {{ approvePost(input: {{id: $id, comment: "ok"}}) {{ post {{ {POST_FIELDS} }} errors {{ code reason message field }} }} }}'
SCHEDULE = f"mutation($id: ID!, $at: DateTime) {{ schedulePost(input: {{id: $id, at: $at}}) {{ post {{ {POST_FIELDS} }} errors {{ code reason message field }} }} }}"
DELETE_POST = "mutation($id: ID!) { deletePost(input: {id: $id}) { deletedId errors { code reason message field } } }"
POST = f"query($id: ID!) {{ post(id: $id) {{ {POST_FIELDS} }} }}"
POSTS = """query($b: ID, $s: [String!]) { posts(filter: {brandId: $b, statuses: $s}, first: 10) {
  nodes { id status } pageInfo { hasNextPage } } }"""
PUBLICATIONS = "query($p: ID!) { publications(postId: $p) { socialAccountId state attempts } }"
HOLD = 'mutation($q: ID!) { holdQueue(input: {id: $q, reason: "crisis drill"}) { queue { held holdReason } errors { code reason message field } } }'
RELEASE = "mutation($q: ID!) { releaseQueue(input: {id: $q}) { queue { held } errors { code reason message field } } }"
VALIDATE = "query($t: String!) { validateText(network: X, text: $t) { valid length limit problems { code } } }"
POLICY = """mutation($s: ID!) { createApprovalPolicy(input: {displayName: "France",
  subsidiaryId: $s, stages: [{approverRole: SOCIAL_MEDIA_MANAGER}]}) { approvalPolicy { id stages { approverRole } etag } errors { code reason message field } } }"""
POLICIES = "query { approvalPolicies(first: 10) { nodes { id displayName } } }"
DELETE_POLICY = "mutation($id: ID!) { deleteApprovalPolicy(input: {id: $id}) { deletedId errors { code reason message field } } }"


def code_of(answer: dict[str, Any]) -> str:
    return refusal(answer)  # type: ignore[arg-type]


def data(answer: dict[str, Any]) -> dict[str, Any]:
    assert not answer.get("errors"), answer
    return answer["data"]  # type: ignore[no-any-return]


async def group_with_a_brand(admin: Front) -> tuple[str, str]:
    """(subsidiary, brand) made in the directory, once the brand reached the publisher."""
    subsidiary = data(await admin.ask(SUBSIDIARY))["createSubsidiary"]["subsidiary"]["id"]
    brand = str(data(await admin.ask(BRAND, s=subsidiary))["createBrand"]["brand"]["id"])

    async def known() -> bool:
        return not (await admin.ask(ACCOUNTS, b=brand)).get("errors")

    await eventually(known)
    return subsidiary, brand


@pytest.fixture
async def platform(tmp_path: Path, database_url: str, nats_url: str) -> AsyncIterator[Platform]:
    directory = directory_settings(tmp_path, database_url, nats_url)
    async with (
        temporary_database(tmp_path, "publisher") as publisher_url,
        serving(build_directory(directory), mode="all") as directory_host,
        counting_sink() as sink,
    ):
        settings = PublisherSettings(
            database_url=publisher_url, grpc_address="127.0.0.1:0", platform=directory.platform,
            dispatch_sink_url=f"{sink}/posts", dispatch_poll_s=0.2,
        )  # fmt: skip
        async with serving(build_publisher(settings), mode="all") as host:
            await bootstrap_tenant(directory, "Acme Group", "admin@acme.test")
            await bootstrap_tenant(directory, "Rival Group", "admin@rival.test")
            gateway = GatewaySettings(
                directory_target=f"127.0.0.1:{directory_host.grpc_port}",
                publisher_target=f"127.0.0.1:{host.grpc_port}",
                platform=directory.platform,
            )
            app = create_app(gateway)
            async with (
                graphql_front(app) as admin,
                graphql_front(app) as manager,
                graphql_front(app) as stranger,
            ):
                await admin.log_in("admin@acme.test", ADMIN_PASSWORD)
                await stranger.log_in("admin@rival.test", ADMIN_PASSWORD)
                subsidiary, brand = await group_with_a_brand(admin)
                data(await admin.ask(MEMBER, s=subsidiary, p=MANAGER_PASSWORD))
                await manager.log_in("smm@acme.test", MANAGER_PASSWORD)
                yield Platform(admin, manager, stranger, brand, sink)


def mastodon(brand: str, **credentials: Any) -> dict[str, Any]:
    given = credentials or {
        "mastodon": {"instanceUrl": "https://mastodon.test", "accessToken": "t"}
    }
    return {"brandId": brand, "network": "MASTODON", "handle": "@lumiere@mastodon.test",
            "timeZone": "Europe/Paris", "credentials": given}  # fmt: skip


def a_post(brand: str, account: str, text: str) -> dict[str, Any]:
    return {"brandId": brand, "socialAccountIds": [account],
            "variants": [{"network": "MASTODON", "text": text}]}  # fmt: skip


async def test_a_post_goes_from_draft_to_scheduled_publications_then_is_cancelled(
    platform: Platform,
) -> None:
    admin, manager, brand = platform.admin, platform.manager, platform.brand
    account = data(await manager.ask(CONNECT, i=mastodon(brand)))["connectSocialAccount"][
        "socialAccount"
    ]
    assert (account["network"], account["tokenHealth"]) == ("MASTODON", "OK")
    listed = data(await admin.ask(ACCOUNTS, b=brand))["socialAccounts"]
    assert [a["id"] for a in listed] == [account["id"]]
    draft = data(await admin.ask(CREATE_POST, i=a_post(brand, account["id"], "Bonjuor")))
    post = draft["createPost"]["post"]
    assert post["status"] == "DRAFT"
    fixed = {"id": post["id"], "etag": post["etag"],
             "variants": [{"network": "MASTODON", "text": "Bonjour"}]}  # fmt: skip
    changed = data(await admin.ask(UPDATE_POST, i=fixed))["updatePost"]["post"]
    assert changed["variants"] == [{"network": "MASTODON", "text": "Bonjour"}]
    # No approval policy: a submitted post is approved at once.
    submitted = data(await admin.ask(SUBMIT, id=post["id"]))["submitPost"]["post"]
    assert submitted["status"] == "APPROVED"
    at = (datetime.now(UTC) + timedelta(hours=2)).isoformat()
    scheduled = data(await admin.ask(SCHEDULE, id=post["id"], at=at))["schedulePost"]["post"]
    assert scheduled["status"] == "SCHEDULED" and scheduled["scheduledAt"]
    publications = data(await admin.ask(PUBLICATIONS, p=post["id"]))["publications"]
    assert publications == [{"socialAccountId": account["id"], "state": "SCHEDULED", "attempts": 0}]
    found = data(await admin.ask(POSTS, b=brand, s=["SCHEDULED"]))["posts"]
    assert found == {"nodes": [{"id": post["id"], "status": "SCHEDULED"}],
                     "pageInfo": {"hasNextPage": False}}  # fmt: skip
    queue = f"{brand}/queue"
    assert data(await manager.ask(HOLD, q=queue))["holdQueue"]["queue"] == {
        "held": True, "holdReason": "crisis drill"
    }  # fmt: skip
    assert data(await manager.ask(RELEASE, q=queue))["releaseQueue"]["queue"] == {"held": False}
    data(await admin.ask(DELETE_POST, id=post["id"]))
    assert data(await admin.ask(POST, id=post["id"]))["post"]["status"] == "DRAFT"
    assert data(await admin.ask(PUBLICATIONS, p=post["id"]))["publications"] == []


async def test_an_approval_policy_makes_someone_else_approve(platform: Platform) -> None:
    admin, manager, brand = platform.admin, platform.manager, platform.brand
    subsidiary = (await admin.ask("{ subsidiaries(first: 1) { nodes { id } } }"))["data"]
    france = subsidiary["subsidiaries"]["nodes"][0]["id"]
    policy = data(await admin.ask(POLICY, s=france))["createApprovalPolicy"]["approvalPolicy"]
    assert policy["stages"] == [{"approverRole": "SOCIAL_MEDIA_MANAGER"}]
    names = data(await manager.ask(POLICIES))["approvalPolicies"]["nodes"]
    assert names == [{"id": policy["id"], "displayName": "France"}]
    account = data(await manager.ask(CONNECT, i=mastodon(brand)))["connectSocialAccount"][
        "socialAccount"
    ]
    post = data(await admin.ask(CREATE_POST, i=a_post(brand, account["id"], "Salut")))[
        "createPost"
    ]["post"]
    assert (
        data(await admin.ask(SUBMIT, id=post["id"]))["submitPost"]["post"]["status"] == "SUBMITTED"
    )
    assert code_of(await admin.ask(APPROVE, id=post["id"])) == "SELF_APPROVAL"
    approved = data(await manager.ask(APPROVE, id=post["id"]))["approvePost"]["post"]
    assert approved["status"] == "APPROVED"
    assert [s["action"] for s in approved["approvalTrail"]] == ["SUBMITTED", "APPROVED"]
    assert data(await admin.ask(DELETE_POLICY, id=policy["id"]))["deleteApprovalPolicy"]
    assert data(await manager.ask(POLICIES))["approvalPolicies"]["nodes"] == []


async def test_an_approval_policy_retried_with_its_request_id_is_created_once(
    platform: Platform,
) -> None:
    admin = platform.admin
    once = """mutation($s: ID!) { createApprovalPolicy(input: {displayName: "Once",
      subsidiaryId: $s, stages: [{approverRole: SOCIAL_MEDIA_MANAGER}], requestId: "policy-1"})
      { approvalPolicy { id } errors { code } } }"""
    france = data(await admin.ask("{ subsidiaries(first: 1) { nodes { id } } }"))
    subsidiary = france["subsidiaries"]["nodes"][0]["id"]
    made = [data(await admin.ask(once, s=subsidiary))["createApprovalPolicy"] for _ in "ab"]
    assert made[0]["approvalPolicy"]["id"] == made[1]["approvalPolicy"]["id"]
    assert made[1]["errors"] == []
    assert len(data(await admin.ask(POLICIES))["approvalPolicies"]["nodes"]) == 1


async def test_bad_input_gets_a_code_and_another_group_sees_nothing(platform: Platform) -> None:
    admin, stranger, brand = platform.admin, platform.stranger, platform.brand
    preview = data(await admin.ask(VALIDATE, t="a" * 281))["validateText"]
    assert preview == {
        "valid": False,
        "length": 281,
        "limit": 280,
        "problems": [{"code": "TOO_LONG"}],
    }
    account = data(await admin.ask(CONNECT, i=mastodon(brand)))["connectSocialAccount"][
        "socialAccount"
    ]
    both = {"mastodon": {"instanceUrl": "https://m.test", "accessToken": "t"},
            "oauth": {"accessToken": "t"}}  # fmt: skip
    assert code_of(await admin.ask(CONNECT, i=mastodon(brand, **both))) == "INVALID_ARGUMENT"
    x_without_id = {**mastodon(brand, oauth={"accessToken": "t"}), "network": "LINKEDIN"}
    assert code_of(await admin.ask(CONNECT, i=x_without_id)) == "INVALID_ARGUMENT"
    empty = {"brandId": brand, "socialAccountIds": [account["id"]], "variants": []}
    assert code_of(await admin.ask(CREATE_POST, i=empty)) == "EMPTY_POST"
    unknown = a_post(brand, f"{brand}/socialAccounts/nobody", "Hello")
    assert code_of(await admin.ask(CREATE_POST, i=unknown)) == "UNKNOWN_ACCOUNT"
    assert code_of(await admin.ask(POSTS, s=["NOPE"])) == "INVALID_ARGUMENT"
    post = data(await admin.ask(CREATE_POST, i=a_post(brand, account["id"], "Ours")))["createPost"][
        "post"
    ]
    data(await admin.ask(SUBMIT, id=post["id"]))
    past = (datetime.now(UTC) - timedelta(days=1)).isoformat()
    assert code_of(await admin.ask(SCHEDULE, id=post["id"], at=past)) == "PAST_DATE"
    assert code_of(await stranger.ask(POST, id=post["id"])) == "POST_NOT_FOUND"
    assert code_of(await stranger.ask(ACCOUNTS, b=brand)) == "BRAND_NOT_FOUND"
    assert code_of(await stranger.ask(HOLD, q=f"{brand}/queue")) == "BRAND_NOT_FOUND"
    assert code_of(await stranger.ask(DELETE_POST, id=post["id"])) == "POST_NOT_FOUND"
    assert data(await stranger.ask(POSTS))["posts"]["nodes"] == []
    assert data(await admin.ask(POSTS))["posts"]["nodes"] == [
        {"id": post["id"], "status": "APPROVED"}
    ]


PUBLISHED = """query($p: ID!) { publications(postId: $p) { state externalId attempts }
  post(id: $p) { status } }"""


async def test_a_due_post_is_published_once_and_its_status_read_back(platform: Platform) -> None:
    admin, brand = platform.admin, platform.brand
    account = data(await admin.ask(CONNECT, i=mastodon(brand)))["connectSocialAccount"][
        "socialAccount"
    ]
    post = data(await admin.ask(CREATE_POST, i=a_post(brand, account["id"], "Live")))["createPost"][
        "post"
    ]
    data(await admin.ask(SUBMIT, id=post["id"]))
    soon = (datetime.now(UTC) + timedelta(seconds=1)).isoformat()
    data(await admin.ask(SCHEDULE, id=post["id"], at=soon))

    async def published() -> bool:
        answer = data(await admin.ask(PUBLISHED, p=post["id"]))
        return bool(answer["publications"][0]["state"] == "PUBLISHED")

    await eventually(published)
    answer = data(await admin.ask(PUBLISHED, p=post["id"]))
    assert answer["post"] == {"status": "PUBLISHED"}
    [publication] = answer["publications"]
    assert publication["attempts"] == 1 and publication["externalId"].startswith("sink-")
    async with httpx.AsyncClient(timeout=5) as http:
        counted = (await http.get(f"{platform.sink}/stats")).json()
    assert counted == {"posts": 1, "post_calls": 1, "keys_posted_twice": 0}
