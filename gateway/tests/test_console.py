"""The reference console (/console) in a real headless Chromium against the real platform:
directory, publisher, listener and reputation on NATS, the gateway served by uvicorn. A
manager logs in; the dashboard shows the brand's index and sentiment chart; a mention pushed
by a partner (IngestMentions) appears in the live stream, then with its sentiment; a negative
burst opens a crisis whose banner appears without a reload; the composer shows Bluesky's
refusal of a too-long text, drafts and submits a post that another manager rejects with a
reason, submits again, approves and schedules; the calendar shows it at its time in the account's zone. Nothing but the public
GraphQL API is used by the page; the setup is done through it too, except the partner push."""

import json
import shutil
import subprocess
import tempfile
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from google.protobuf.timestamp_pb2 import Timestamp
from graphql import parse, validate
from vigie.listener.v1 import listener_pb2 as listener_rpc
from vigie.listener.v1 import listener_pb2_grpc
from vigie.listener.v1 import resources_pb2 as listener_pb
from vigie_directory.bootstrap import build as build_directory
from vigie_directory.testing import ADMIN_PASSWORD, bootstrap_tenant, directory_settings
from vigie_gateway.app import create_app
from vigie_gateway.config import Settings as GatewaySettings
from vigie_gateway.console import STATIC, content_security_policy
from vigie_gateway.console.testing import Page, browser_missing, chromium_page
from vigie_gateway.schema import build_schema
from vigie_gateway.testing import Front, graphql_front
from vigie_listener.bootstrap import build as build_listener
from vigie_listener.config import Settings as ListenerSettings
from vigie_publisher.bootstrap import build as build_publisher
from vigie_publisher.config import Settings as PublisherSettings
from vigie_reputation.bootstrap import build as build_reputation
from vigie_reputation.config import Settings as ReputationSettings
from vigie_runtime.grpc_client import bearer, open_channel
from vigie_runtime.principal import Principal, PrincipalKind, Role, RoleGrant
from vigie_runtime.testing.databases import temporary_database
from vigie_runtime.testing.services import serving
from vigie_runtime.testing.waiting import eventually
from vigie_runtime.tokens import SigningKey, TokenIssuer

MANAGER_PASSWORD = "manager-password-1"
ACCOUNT_ZONE = "Pacific/Auckland"  # neither the subsidiary's (Paris) nor the browser's (UTC)
HISTORY_BUCKETS = 48  # 4 hours of 5-minute buckets before now, as tests/e2e's burst
ERRORS = "errors { code reason message }"
SUBSIDIARY = f"""mutation {{ createSubsidiary(input: {{displayName: "France", country: "FR",
  locale: "fr-FR", timeZone: "Europe/Paris"}}) {{ subsidiary {{ id }} {ERRORS} }} }}"""
BRAND = f"""mutation($s: ID!) {{ createBrand(input: {{subsidiaryId: $s, displayName: "Lumière"}})
  {{ brand {{ id }} {ERRORS} }} }}"""
MEMBER = f"""mutation($s: ID!, $p: String!) {{ createMember(input: {{email: "smm@acme.test",
  displayName: "Sam", password: $p, roles: [{{role: SOCIAL_MEDIA_MANAGER, subsidiaryId: $s}}]}})
  {{ member {{ id }} {ERRORS} }} }}"""
POLICY = f"""mutation($s: ID!) {{ createApprovalPolicy(input: {{displayName: "France",
  subsidiaryId: $s, stages: [{{approverRole: SOCIAL_MEDIA_MANAGER}}]}})
  {{ approvalPolicy {{ id }} {ERRORS} }} }}"""
CONNECT = f"""mutation($i: ConnectSocialAccountInput!) {{ connectSocialAccount(input: $i)
  {{ socialAccount {{ id }} {ERRORS} }} }}"""
SOURCE = f"""mutation($p: ID!) {{ createSource(input: {{displayName: "Agency",
  settings: {{partner: {{partnerClientId: $p}}}}}}) {{ source {{ id }} {ERRORS} }} }}"""
ACCOUNTS = "query($b: ID!) { socialAccounts(brandId: $b) { id } }"
VOLUME = """query($b: ID!, $s: DateTime!, $e: DateTime!) { measures(brandId: $b, start: $s,
  end: $e, granularity: HOUR) { points { volume } } }"""
INDEX = "query($b: ID!) { reputationIndex(brandId: $b) { value } }"
SENTIMENT = """query($b: ID!, $t: String!) { mentions(filter: {brandIds: [$b], textContains: $t},
  first: 1) { nodes { id sentiment { label } } } }"""
POST = "query($id: ID!) { post(id: $id) { status scheduledAt } }"


def data(answer: dict[str, Any], field: str) -> Any:
    """The mutation's object, once neither the request nor the payload has errors."""
    assert not answer.get("errors"), answer
    payload = answer["data"][field]
    if isinstance(payload, dict) and "errors" in payload:
        assert payload["errors"] == [], payload
    return payload


@dataclass
class Platform:
    console: str  # the console's URL
    admin: Front
    brand: str
    subsidiary: str
    ingest: Any  # the listener's stub, for the partner push
    partner: tuple[tuple[str, str], ...]  # the partner's gRPC metadata
    source: str


def partner_metadata(tmp_path: Path, tenant: str, brand: str) -> tuple[tuple[str, str], ...]:
    """A partner client's token signed with the directory's key (as the directory issues)."""
    key = SigningKey.from_pem((tmp_path / "keys" / "signing-key.pem").read_bytes())
    partner = Principal(
        subject=f"tenants/{tenant}/partnerClients/01pppppppppppppppppppppppp", tenant=tenant,
        kind=PrincipalKind.PARTNER, grants=(RoleGrant(Role.PARTNER),),
        scopes=frozenset({"mentions.ingest"}), brands=frozenset({brand}),
    )  # fmt: skip
    token = TokenIssuer(key, "vigie-directory", "vigie").issue(partner, timedelta(hours=1))[0]
    return bearer(token)


async def serve_services(
    stack: AsyncExitStack, tmp_path: Path, database_url: str, nats_url: str
) -> tuple[Any, dict[str, int]]:
    """The directory and the three services, each with its own database; their gRPC ports."""
    directory = directory_settings(tmp_path, database_url, nats_url)
    ports = {"directory": (await stack.enter_async_context(
        serving(build_directory(directory), mode="all"))).grpc_port}  # fmt: skip
    shared = {"grpc_address": "127.0.0.1:0", "platform": directory.platform}
    services = {
        "publisher": (build_publisher, PublisherSettings, {}),
        "listener": (build_listener, ListenerSettings, {}),
        "reputation": (build_reputation, ReputationSettings, {
            "sentiment_model": "fast", "crisis_warmup_buckets": 24,
            "crisis_clock_seconds": 3600.0}),
    }  # fmt: skip
    for name, (build, settings_type, own) in services.items():
        url = await stack.enter_async_context(temporary_database(tmp_path, name))
        settings = settings_type(database_url=url, **shared, **own)
        host = await stack.enter_async_context(serving(build(settings), mode="all"))
        ports[name] = host.grpc_port
    return directory, ports


@pytest.fixture
async def platform(tmp_path: Path, database_url: str, nats_url: str) -> AsyncIterator[Platform]:
    if reason := browser_missing():
        pytest.skip(f"the console's browser test needs Chromium, Node.js and npm: {reason}")
    async with AsyncExitStack() as stack:
        directory, ports = await serve_services(stack, tmp_path, database_url, nats_url)
        tenant = await bootstrap_tenant(directory, "Acme Group", "admin@acme.test")
        tenant = tenant.removeprefix("tenants/")
        targets = {f"{name}_target": f"127.0.0.1:{port}" for name, port in ports.items()}
        app = create_app(GatewaySettings(**targets, platform=directory.platform))
        admin = await stack.enter_async_context(graphql_front(app))
        await admin.log_in("admin@acme.test", ADMIN_PASSWORD)
        subsidiary = data(await admin.ask(SUBSIDIARY), "createSubsidiary")["subsidiary"]["id"]
        brand = data(await admin.ask(BRAND, s=subsidiary), "createBrand")["brand"]["id"]
        data(await admin.ask(MEMBER, s=subsidiary, p=MANAGER_PASSWORD), "createMember")
        data(await admin.ask(POLICY, s=subsidiary), "createApprovalPolicy")
        source = await _once_the_services_know(admin, brand, tenant)
        channel = await stack.enter_async_context(open_channel(targets["listener_target"]))
        yield Platform(
            console=admin.url.removesuffix("/graphql") + "/console/", admin=admin, brand=brand,
            subsidiary=subsidiary, ingest=listener_pb2_grpc.ListenerServiceStub(channel),
            partner=partner_metadata(tmp_path, tenant, brand), source=source,
        )  # fmt: skip


async def _once_the_services_know(admin: Front, brand: str, tenant: str) -> str:
    """Connects the Bluesky account and the partner source once `brand.created` reached the
    publisher and the listener; the source's id."""

    async def publisher_knows() -> bool:
        return not (await admin.ask(ACCOUNTS, b=brand)).get("errors")

    await eventually(publisher_knows)
    account = {"brandId": brand, "network": "BLUESKY", "handle": "lumiere.bsky.social",
               "timeZone": ACCOUNT_ZONE, "credentials": {"bluesky": {
                   "serviceUrl": "http://127.0.0.1:9", "identifier": "lumiere.bsky.social",
                   "appPassword": "abcd-efgh-ijkl-mnop"}}}  # fmt: skip
    data(await admin.ask(CONNECT, i=account), "connectSocialAccount")
    partner = f"tenants/{tenant}/partnerClients/01pppppppppppppppppppppppp"
    return str(data(await admin.ask(SOURCE, p=partner), "createSource")["source"]["id"])


def mention(
    platform: Platform, external_id: str, text: str, at: datetime, author: str = "@fan.bsky.social"
) -> listener_rpc.IngestMentionsRequest:
    stamp = Timestamp()
    stamp.FromDatetime(at)
    return listener_rpc.IngestMentionsRequest(
        source=platform.source, external_id=external_id,
        mention=listener_pb.Mention(
            brand=platform.brand, text=text, language="fr", publish_time=stamp,
            author=listener_pb.MentionAuthor(handle=author, followers_count=200),
        ),
    )  # fmt: skip


async def push(platform: Platform, mentions: list[listener_rpc.IngestMentionsRequest]) -> None:
    async def stream() -> AsyncIterator[listener_rpc.IngestMentionsRequest]:
        for item in mentions:
            yield item

    answer = await platform.ingest.IngestMentions(stream(), metadata=platform.partner)
    assert answer.accepted_count == len(mentions), answer.refusals


def current_bucket() -> datetime:
    now = datetime.now(UTC)
    return now.replace(minute=now.minute - now.minute % 5, second=0, microsecond=0)


async def steady_history(platform: Platform, bucket: datetime) -> None:
    """4 hours of 3 mentions per 5 minutes (1 negative, 2 positive), scored before returning."""
    texts = ["nul, je déteste", "j'adore, génial", "superbe, j'adore"]
    history = [
        mention(platform, f"h{n}-{i}", text, bucket - timedelta(minutes=5 * n, seconds=-10))
        for n in range(HISTORY_BUCKETS, 0, -1)
        for i, text in enumerate(texts)
    ]
    await push(platform, history)
    start, end = (bucket - timedelta(hours=5)).isoformat(), datetime.now(UTC).isoformat()

    seen: list[Any] = []

    async def scored() -> bool:
        answer = await platform.admin.ask(VOLUME, b=platform.brand, s=start, e=end)
        series = (answer.get("data") or {}).get("measures") or []
        seen[:] = [answer.get("errors"), sum(p["volume"] for s in series for p in s["points"])]
        return bool(seen[1] >= len(history))

    try:
        await eventually(scored, 120)
    except AssertionError as timeout:
        raise AssertionError(f"{len(history)} mentions pushed, scored so far: {seen}") from timeout


def shot(name: str) -> str:
    """Where a screenshot of the run goes, for people to look at (the test reads none)."""
    return str(Path(tempfile.gettempdir()) / f"vigie-console-{name}.png")


async def log_in(page: Page, email: str, password: str) -> None:
    await page.wait("#login")
    await page.fill("#email", email)
    await page.fill("#password", password)
    await page.click("#login-button")
    await page.wait("#nav a[data-view=dashboard]")


@pytest.mark.node
@pytest.mark.timeout(600)  # a first run installs playwright-core; a loaded machine is slow
async def test_the_console_shows_a_brand_live_and_takes_a_post_through_approval_to_the_calendar(
    platform: Platform,
) -> None:
    bucket = current_bucket()
    await steady_history(platform, bucket)
    index = (await platform.admin.ask(INDEX, b=platform.brand))["data"]["reputationIndex"]

    async with chromium_page("UTC") as page:
        opened = await page.goto(platform.console)
        assert opened["status"] == 200
        assert "script-src 'self'" in opened["headers"]["content-security-policy"]
        await page.wait("#login")
        await page.fill("#email", "admin@acme.test")
        await page.fill("#password", "not-the-password")
        await page.click("#login-button")
        await page.wait("#login-errors li[data-reason=INVALID_CREDENTIALS]")
        await log_in(page, "admin@acme.test", ADMIN_PASSWORD)

        # The dashboard: the index as the API gives it, the chart with the hours heard.
        await page.wait("#index-value")
        assert await page.text("#index-value") == f"{index['value']:.1f}"
        await page.wait("svg.sentiment-chart circle.point")
        assert await page.count("svg.sentiment-chart circle.point") >= 4

        # A mention pushed by a partner appears live, then with its sentiment.
        text = "Le café Lumière ce matin, j'adore, génial"
        await push(platform, [mention(platform, "live-1", text, datetime.now(UTC))])
        heard = f"#mention-stream li.mention:has-text({text!r})"
        await page.wait(f"{heard} .sentiment:not([data-label=PENDING])")
        found = await platform.admin.ask(SENTIMENT, b=platform.brand, t="matin")
        label = found["data"]["mentions"]["nodes"][0]["sentiment"]["label"]
        assert await page.attribute(f"{heard} .sentiment", "data-label") == label

        # A negative burst opens a crisis: the banner appears, the page never reloaded. It is
        # dated now, not in the bucket the test started in: had that bucket ended since, the
        # live mention above closed it, and a burst dated in it would be too late to count.
        burst_text = "la pire marque, honteux, dégoûtant, je les déteste"
        burst_at = datetime.now(UTC)
        await push(platform, [
            mention(platform, f"b{i}", burst_text, burst_at, f"@angry{i % 3}") for i in range(80)
        ])  # fmt: skip
        await page.wait("#crisis-banner .crisis[data-status=OPENED]", "Lumière")
        await page.screenshot(shot("dashboard"))

        # The composer: Bluesky refuses 301 characters; a shorter text is drafted, submitted.
        await page.click("#nav a[data-view=composer]")
        await page.wait("#accounts input[type=checkbox]")
        await page.fill("#composer-text", "x" * 301)
        await page.wait(".network-check[data-network=BLUESKY][data-valid=false] li[data-code]")
        await page.screenshot(shot("composer"))
        await page.fill("#composer-text", "Nos nouveaux cafés arrivent demain")
        await page.wait(".network-check[data-network=BLUESKY][data-valid=true]")
        await page.click("#create-post")
        await page.wait("#composer-result [data-post]")
        post = await page.attribute("#composer-result [data-post]", "data-post")
        assert post
        await page.click(f'li.post[data-post="{post}"] button.submit')
        await page.wait(f'li.post[data-post="{post}"][data-status=SUBMITTED]')

        # Another manager (never one's own) sees the open crisis at once, sends the post back
        # with a reason, submits it again, approves it and schedules it in the account's zone.
        await page.click("#logout")
        await log_in(page, "smm@acme.test", MANAGER_PASSWORD)
        await page.wait("#crisis-banner .crisis[data-status=OPENED]", "Lumière")
        await page.click("#nav a[data-view=composer]")
        row = f'li.post[data-post="{post}"]'
        await page.fill(f"{row} .reject-comment", "Pas pendant une crise")
        await page.click(f"{row} button.reject")
        await page.wait(f"{row}[data-status=DRAFT]", "Pas pendant une crise")
        await page.screenshot(shot("approvals"))
        await page.click(f"{row} button.submit")
        await page.click(f"{row}[data-status=SUBMITTED] button.approve")
        await page.wait(f"{row}[data-status=APPROVED]")
        day = (datetime.now(ZoneInfo(ACCOUNT_ZONE)) + timedelta(days=2)).date()
        await page.fill(f"{row} .schedule-at", f"{day.isoformat()}T09:30")
        await page.click(f"{row} button.schedule")
        await page.gone(row)

        # The calendar: on its day, at 09:30 in Auckland (the browser is in UTC), the queue
        # held by the crisis.
        await page.click("#nav a[data-view=calendar]")
        await page.wait("#queue-held", "crisis opened")
        entry = f'.day[data-day="{day.isoformat()}"] .entry[data-post="{post}"] time'
        await page.wait(entry)
        assert await page.text(entry) == "09:30"
        await page.screenshot(shot("calendar"))
        assert await page.problems() == []

    scheduled = (await platform.admin.ask(POST, id=post))["data"]["post"]
    at = datetime.fromisoformat(scheduled["scheduledAt"])
    assert scheduled["status"] == "SCHEDULED"
    assert at == datetime(day.year, day.month, day.day, 9, 30, tzinfo=ZoneInfo(ACCOUNT_ZONE))


async def test_the_console_is_not_served_when_switched_off(tmp_path: Path) -> None:
    directory = directory_settings(tmp_path, "sqlite+aiosqlite:///unused.sqlite")
    (tmp_path / "keys").mkdir()
    (tmp_path / "keys" / "jwks.json").write_text('{"keys": []}')
    off = create_app(GatewaySettings(console=False, platform=directory.platform))
    on = create_app(GatewaySettings(platform=directory.platform))
    async with graphql_front(off) as served_off, graphql_front(on) as served_on:
        base = served_off.url.removesuffix("/graphql")
        assert (await served_off.http.get(f"{base}/console/")).status_code == 404
        page = await served_on.http.get(served_on.url.removesuffix("/graphql") + "/console/")
        assert page.status_code == 200 and 'src="./app.js"' in page.text
        assert "default-src 'none'" in page.headers["content-security-policy"]
        assert page.headers["x-content-type-options"] == "nosniff"


@pytest.mark.node
def test_every_document_of_the_console_is_valid_against_the_gateways_schema() -> None:
    """graphql.js holds every document the console sends: each one validates against the
    schema the gateway serves (a renamed field or argument fails here, not in a browser)."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("reading graphql.js needs Node.js on PATH")
    script = (
        f"import * as d from {(STATIC / 'graphql.js').as_uri()!r}; console.log(JSON.stringify(d))"
    )
    printed = subprocess.run(
        [node, "--input-type=module", "-e", script], capture_output=True, text=True, check=True
    )
    documents: dict[str, str] = json.loads(printed.stdout)
    schema = build_schema(GatewaySettings())._schema
    assert len(documents) >= 15
    problems = {
        name: [error.message for error in validate(schema, parse(text))]
        for name, text in documents.items()
    }
    assert {name: found for name, found in problems.items() if found} == {}


def test_the_policy_names_the_sockets_of_a_plain_host_only() -> None:
    assert "connect-src 'self' ws://vigie.example:8000 wss://vigie.example:8000;" in (
        content_security_policy("vigie.example:8000")
    )
    # A Host header is the client's to write: anything but host[:port] stays out of the policy.
    forged = content_security_policy("evil.example; script-src *")
    assert "evil" not in forged and "connect-src 'self';" in forged
