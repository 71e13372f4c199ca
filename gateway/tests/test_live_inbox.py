"""The `inboxChanged` live subscription seen by the npm `graphql-ws` client: inbox events of
the listener reach the subscribers of their subsidiary (or brand) only, scoped by the
`connection_init` token; a subsidiary the token has no role in is refused."""

from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from vigie.listener.v1 import events_pb2 as listener_events
from vigie.listener.v1 import resources_pb2 as listener
from vigie_gateway.live.hub import EventHub
from vigie_gateway.live.inbox import ITEM_CHANGED, ITEM_OPENED, RESPONSE_BREACHED
from vigie_gateway.live.testing import NodeSubscriber, error_codes, node_missing
from vigie_runtime.principal import Principal, Role, RoleGrant
from vigie_runtime.testing.events import publish_as_producer
from vigie_runtime.testing.waiting import eventually
from vigie_runtime.tokens import SigningKey, TokenIssuer

INBOX = """subscription($s: ID!) { inboxChanged(scopeId: $s) {
  change breach inboxItem { id status subsidiaryId labels } } }"""


class Live:
    def __init__(self, ws_url: str, nats_url: str, hub: EventHub, issuer: TokenIssuer, tenant: str):
        self.ws_url, self.nats_url, self.hub, self.issuer = ws_url, nats_url, hub, issuer
        self.tenant = tenant
        self.clients: list[NodeSubscriber] = []

    def subsidiary(self, s: str) -> str:
        return f"tenants/{self.tenant}/subsidiaries/{s}"

    async def subscribe(self, grant: tuple[Role, str | None], scope: str) -> NodeSubscriber:
        who = Principal(
            subject=f"tenants/{self.tenant}/members/01aaaaaaaaaaaaaaaaaaaaaaaa",
            tenant=self.tenant, grants=(RoleGrant(*grant),),
        )  # fmt: skip
        token = self.issuer.issue(who, timedelta(minutes=30))[0]
        params = {"authorization": f"Bearer {token}"}
        client = await NodeSubscriber.start(self.ws_url, params, INBOX, variables={"s": scope})
        self.clients.append(client)
        return client

    def item(self, subsidiary: str, item_id: str, **fields: Any) -> listener.InboxItem:
        brand = f"tenants/{self.tenant}/brands/b{subsidiary}"
        return listener.InboxItem(
            name=f"{brand}/inboxItems/{item_id}", brand=brand,
            subsidiary=self.subsidiary(subsidiary), mention=f"{brand}/mentions/m{item_id}",
            status=listener.INBOX_STATUS_NEW, **fields,
        )  # fmt: skip


@pytest.fixture
async def live(
    tmp_path: Path, behind_gateway: Callable[..., Awaitable[Any]], nats_url: str
) -> AsyncIterator[Live]:
    if reason := node_missing():
        pytest.skip(f"the graphql-ws client needs Node.js and npm: {reason}")
    from vigie_gateway.testing import graphql_front

    platform = await behind_gateway()
    key = SigningKey.from_pem((tmp_path / "keys" / "signing-key.pem").read_bytes())
    tenant = platform.tenants["Acme Group"].removeprefix("tenants/")
    async with graphql_front(platform.app) as front:
        state = Live(
            front.url.replace("http://", "ws://"), nats_url, platform.app.app.state.live_hub,
            TokenIssuer(key, "vigie-directory", "vigie"), tenant,
        )  # fmt: skip
        try:
            yield state
        finally:
            for client in state.clients:
                await client.close()


async def _first_outcome(client: NodeSubscriber) -> dict[str, Any]:
    while "connected" in (line := await client.line()):
        pass
    return line


async def test_inbox_events_reach_the_subscribers_of_their_subsidiary_only(live: Live) -> None:
    france = await live.subscribe(
        (Role.COMMUNITY_MANAGER, live.subsidiary("fr")), live.subsidiary("fr")
    )
    spain = await live.subscribe((Role.ANALYST, live.subsidiary("es")), live.subsidiary("es"))

    async def registered() -> bool:
        return live.hub.subscriber_count("listener", live.tenant) == 2

    await eventually(registered)
    opened = listener_events.InboxItemOpened(
        item=live.item("fr", "i1"), subsidiary=live.subsidiary("fr")
    )
    await publish_as_producer(live.nats_url, ITEM_OPENED, live.tenant, opened)
    changed = listener_events.InboxItemChanged(item=live.item("es", "i2", labels=["vip"]))
    await publish_as_producer(live.nats_url, ITEM_CHANGED, live.tenant, changed)
    breached = listener_events.ResponseBreached(
        item=live.item("fr", "i1"), kind=listener.RESPONSE_KIND_FIRST_RESPONSE
    )
    await publish_as_producer(live.nats_url, RESPONSE_BREACHED, live.tenant, breached)

    first = (await france.next_result())["data"]["inboxChanged"]
    assert (first["change"], first["inboxItem"]["subsidiaryId"]) == (
        "OPENED", live.subsidiary("fr")
    )  # fmt: skip
    second = (await france.next_result())["data"]["inboxChanged"]
    assert (second["change"], second["breach"]) == ("BREACHED", "FIRST_RESPONSE")
    theirs = (await spain.next_result())["data"]["inboxChanged"]
    assert (theirs["change"], theirs["inboxItem"]["labels"]) == ("CHANGED", ["vip"])


async def test_a_subsidiary_without_a_role_or_of_another_tenant_is_refused(live: Live) -> None:
    outsider = await live.subscribe((Role.ANALYST, live.subsidiary("es")), live.subsidiary("fr"))
    elsewhere = await live.subscribe(
        (Role.GROUP_ADMIN, None), "tenants/someone_else/subsidiaries/fr"
    )
    assert error_codes(await _first_outcome(outsider)) == ["SUBSIDIARY_NOT_GRANTED"]
    assert error_codes(await _first_outcome(elsewhere)) == ["SCOPE_NOT_FOUND"]
