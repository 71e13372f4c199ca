"""Live subscriptions seen by the npm `graphql-ws` client: a brand's mentions as captured then
scored, scoped by the `connection_init` token (tenant and subsidiaries), and ended when the
token expires. Events are put on JetStream as their producers would put them."""

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from vigie.listener.v1 import events_pb2 as listener_events
from vigie.listener.v1 import resources_pb2 as listener
from vigie.reputation.v1 import events_pb2 as reputation_events
from vigie.reputation.v1 import resources_pb2 as reputation
from vigie_directory.testing import ADMIN_PASSWORD
from vigie_gateway.live.events import CRISIS_OPENED, MENTION_CAPTURED, MENTION_SCORED
from vigie_gateway.live.hub import EventHub
from vigie_gateway.live.testing import NodeSubscriber, error_codes, node_missing
from vigie_gateway.testing import Front, graphql_front, succeeded
from vigie_runtime.principal import Principal, Role, RoleGrant
from vigie_runtime.testing.events import publish_as_producer
from vigie_runtime.testing.waiting import eventually
from vigie_runtime.tokens import SigningKey, TokenIssuer

MENTIONS = """subscription($brand: ID!) { mentionAdded(brand: $brand) {
  change mentionId brandId mention { text author { handle } } sentiment { label } } }"""
CRISES = "subscription { crisisChanged { change subsidiaryId crisis { id summary } } }"
SUBSIDIARY = """mutation($n: String!) { createSubsidiary(input: {displayName: $n, country: "FR",
  locale: "fr-FR", timeZone: "Europe/Paris"}) { subsidiary { id } errors { code reason message field } } }"""
BRAND = """mutation($s: ID!, $n: String!) { createBrand(input: {subsidiaryId: $s, displayName: $n})
  { brand { id } errors { code reason message field } } }"""


@dataclass
class Live:
    """A gateway with its hub, the directory behind it, and the two groups' brands."""

    ws_url: str
    nats_url: str
    hub: EventHub
    issuer: TokenIssuer
    tenants: dict[str, str]  # label (acme, rival) -> tenant id
    subsidiaries: dict[str, str] = field(default_factory=dict)  # label -> resource name
    brands: dict[str, str] = field(default_factory=dict)  # label -> resource name
    clients: list[NodeSubscriber] = field(default_factory=list)

    def token(self, label: str, *grants: tuple[Role, str | None], ttl: float = 1800) -> str:
        tenant = self.tenants[label]
        who = Principal(
            subject=f"tenants/{tenant}/members/01aaaaaaaaaaaaaaaaaaaaaaaa", tenant=tenant,
            grants=tuple(RoleGrant(role, where) for role, where in grants),
        )  # fmt: skip
        return self.issuer.issue(who, timedelta(seconds=ttl))[0]

    async def subscribe(self, token: str, query: str, **variables: Any) -> NodeSubscriber:
        params = {"authorization": f"Bearer {token}"}
        client = await NodeSubscriber.start(self.ws_url, params, query, variables=variables)
        self.clients.append(client)
        return client


async def _ask(front: Front, query: str, **variables: Any) -> Any:
    answer = await front.ask(query, **variables)
    assert succeeded(answer), answer
    return answer["data"]


@pytest.fixture
async def live(
    tmp_path: Path, behind_gateway: Callable[..., Awaitable[Any]], nats_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> AsyncIterator[Live]:  # fmt: skip
    if reason := node_missing():
        pytest.skip(f"the graphql-ws client needs Node.js and npm: {reason}")
    monkeypatch.setenv("GATEWAY_LIVE_QUEUE_CAPACITY", "8")
    platform = await behind_gateway()
    key = SigningKey.from_pem((tmp_path / "keys" / "signing-key.pem").read_bytes())
    labels = {"Acme Group": "acme", "Rival Group": "rival"}
    async with graphql_front(platform.app) as front:
        state = Live(
            front.url.replace("http://", "ws://"), nats_url, platform.app.app.state.live_hub,
            TokenIssuer(key, "vigie-directory", "vigie"),
            {labels[g]: name.removeprefix("tenants/") for g, name in platform.tenants.items()},
        )  # fmt: skip
        for label in labels.values():
            await front.log_in(f"admin@{label}.test", ADMIN_PASSWORD)
            for n in (1, 2):
                made = await _ask(front, SUBSIDIARY, n=f"{label} {n}")
                state.subsidiaries[f"{label}{n}"] = made["createSubsidiary"]["subsidiary"]["id"]
            made = await _ask(front, BRAND, s=state.subsidiaries[f"{label}1"], n=label)
            state.brands[label] = made["createBrand"]["brand"]["id"]
        try:
            yield state
        finally:
            for client in state.clients:
                await client.close()


ADMIN = (Role.GROUP_ADMIN, None)


def captured(brand: str, mention: str, text: str) -> listener_events.MentionCaptured:
    return listener_events.MentionCaptured(
        mention=listener.Mention(
            name=f"{brand}/mentions/{mention}", brand=brand, text=text,
            source_kind=listener.SOURCE_KIND_BLUESKY,
            author=listener.MentionAuthor(handle="ann.bsky.social"),
        ),
        brand=brand, subsidiary="",
    )  # fmt: skip


def scored(brand: str, mention: str) -> reputation_events.MentionScored:
    name = f"{brand}/mentions/{mention}"
    sentiment = reputation.MentionSentiment(
        name=f"{name}/sentiment", mention=name, label=reputation.SENTIMENT_LABEL_NEGATIVE
    )
    return reputation_events.MentionScored(sentiment=sentiment, brand=brand)


def opened(live: Live, label: str, subsidiary: str, summary: str) -> reputation_events.CrisisOpened:
    brand = live.brands[label]
    crisis = reputation.Crisis(
        name=f"{brand}/crises/{summary[:8].strip() or 'c'}", brand=brand,
        status=reputation.CRISIS_STATUS_OPENED,
        explanation=reputation.CrisisExplanation(summary=summary),
    )  # fmt: skip
    return reputation_events.CrisisOpened(crisis=crisis, subsidiary=live.subsidiaries[subsidiary])


async def listening(live: Live, producer: str, label: str, count: int) -> None:
    """Until `count` subscriptions of the tenant are registered in the hub."""

    async def registered() -> bool:
        return live.hub.subscriber_count(producer, live.tenants[label]) == count

    await eventually(registered)


async def test_a_captured_mention_reaches_its_brands_subscriber_then_again_scored(
    live: Live,
) -> None:
    acme, rival = live.brands["acme"], live.brands["rival"]
    watcher = await live.subscribe(live.token("acme", ADMIN), MENTIONS, brand=acme)
    stranger = await live.subscribe(live.token("rival", ADMIN), MENTIONS, brand=rival)
    await listening(live, "listener", "acme", 1)
    await listening(live, "listener", "rival", 1)

    acme_tenant, rival_tenant = live.tenants["acme"], live.tenants["rival"]
    await publish_as_producer(
        live.nats_url, MENTION_CAPTURED, acme_tenant, captured(acme, "m1", "love it")
    )
    await publish_as_producer(live.nats_url, MENTION_SCORED, acme_tenant, scored(acme, "m1"))
    await publish_as_producer(
        live.nats_url, MENTION_CAPTURED, rival_tenant, captured(rival, "r1", "theirs")
    )

    first = (await watcher.next_result())["data"]["mentionAdded"]
    assert first["change"] == "CAPTURED" and first["mentionId"] == f"{acme}/mentions/m1"
    assert first["mention"] == {"text": "love it", "author": {"handle": "ann.bsky.social"}}
    again = (await watcher.next_result())["data"]["mentionAdded"]
    assert again["change"] == "SCORED" and again["mentionId"] == first["mentionId"]
    assert again["sentiment"] == {"label": "NEGATIVE"}
    # The other tenant's first event is its own: Acme's, published before, never reached it.
    theirs = (await stranger.next_result())["data"]["mentionAdded"]
    assert theirs["mentionId"] == f"{rival}/mentions/r1"


async def test_a_brand_of_another_tenant_or_another_subsidiary_is_refused(live: Live) -> None:
    rival_brand = await live.subscribe(
        live.token("acme", ADMIN), MENTIONS, brand=live.brands["rival"]
    )
    outsider = live.token("acme", (Role.ANALYST, live.subsidiaries["acme2"]))
    other_subsidiary = await live.subscribe(outsider, MENTIONS, brand=live.brands["acme"])
    assert error_codes(await _first_outcome(rival_brand)) == ["BRAND_NOT_FOUND"]
    # The directory hides another subsidiary's brand from an analyst, as it does for queries.
    assert error_codes(await _first_outcome(other_subsidiary)) == ["BRAND_NOT_FOUND"]


async def _first_outcome(client: NodeSubscriber) -> dict[str, Any]:
    while "connected" in (line := await client.line()):
        pass
    return line


async def test_a_crisis_reaches_the_subscriber_of_its_subsidiary_only(live: Live) -> None:
    first = await live.subscribe(
        live.token("acme", (Role.ANALYST, live.subsidiaries["acme1"])), CRISES
    )
    second = await live.subscribe(
        live.token("acme", (Role.ANALYST, live.subsidiaries["acme2"])), CRISES
    )
    await listening(live, "reputation", "acme", 2)
    tenant = live.tenants["acme"]
    await publish_as_producer(
        live.nats_url, CRISIS_OPENED, tenant, opened(live, "acme", "acme1", "first")
    )
    await publish_as_producer(
        live.nats_url, CRISIS_OPENED, tenant, opened(live, "acme", "acme2", "second")
    )

    seen_by_first = (await first.next_result())["data"]["crisisChanged"]
    seen_by_second = (await second.next_result())["data"]["crisisChanged"]
    assert (seen_by_first["change"], seen_by_first["crisis"]["summary"]) == ("OPENED", "first")
    # The second subsidiary's first event is its own crisis: the first's never reached it.
    assert seen_by_second["crisis"]["summary"] == "second"
    assert seen_by_second["subsidiaryId"] == live.subsidiaries["acme2"]


async def test_an_expired_token_ends_the_subscription(live: Live) -> None:
    short = await live.subscribe(live.token("acme", ADMIN, ttl=3), CRISES)
    assert error_codes(await _first_outcome(short)) == ["TOKEN_EXPIRED"]
    await listening(live, "reputation", "acme", 0)  # and its queue has left the hub


async def test_a_connection_without_a_valid_token_is_closed_with_4403(live: Live) -> None:
    anonymous = await NodeSubscriber.start(live.ws_url, {}, CRISES)
    live.clients.append(anonymous)
    outcome = await _first_outcome(anonymous)
    assert outcome["error"]["code"] == 4403, outcome
