"""The engagement inbox through GraphQL, served against a real directory and listener (NATS
between them): the brand made in the directory, a question captured, then read, noted,
labelled, assigned (inside and outside its subsidiary), closed and reopened through mutations;
another group's admin sees nothing."""

from collections.abc import AsyncIterator
from typing import Any

import pytest
from vigie_directory.testing import ADMIN_PASSWORD
from vigie_gateway.testing import Front, graphql_front
from vigie_listener.adapters.orm import RUNTIME_TABLES
from vigie_listener.testing import FIREHOSE, Pipeline, post
from vigie_runtime.host import Plumbing
from vigie_runtime.testing.waiting import eventually

ERRORS = "errors { code reason message field }"
SUBSIDIARY = f"""mutation {{ createSubsidiary(input: {{displayName: "France", country: "FR",
  locale: "fr-FR", timeZone: "Europe/Paris"}}) {{ subsidiary {{ id }} {ERRORS} }} }}"""
BRAND = f"""mutation($s: ID!) {{ createBrand(input: {{subsidiaryId: $s, displayName: "Lumière"}})
  {{ brand {{ id }} {ERRORS} }} }}"""
QUERY = f"""mutation($b: ID!) {{ createListeningQuery(input: {{brandId: $b, displayName: "q",
  query: "lumiere", active: true, languages: []}}) {{ listeningQuery {{ id }} {ERRORS} }} }}"""
ITEMS = """query($s: ID!, $f: InboxItemFilter) { inboxItems(scopeId: $s, first: 10, filter: $f) {
  nodes { id status reasons urgency urgencyParts { factor score explanation } labels noteCount
          mention { text } } pageInfo { hasNextPage } } }"""
NOTE = f"""mutation($i: ID!) {{ addInboxNote(input: {{inboxItemId: $i, text: "À rappeler",
  requestId: "r1"}}) {{ note {{ id text }} {ERRORS} }} }}"""
NOTES = "query($i: ID!) { inboxNotes(inboxItemId: $i) { nodes { text } } }"
LABELS = f"""mutation($i: ID!) {{ setInboxItemLabels(input: {{id: $i, labels: ["vip"]}})
  {{ inboxItem {{ labels noteCount }} {ERRORS} }} }}"""
ASSIGN = f"""mutation($i: ID!, $m: ID) {{ assignInboxItem(input: {{id: $i, assigneeId: $m}})
  {{ inboxItem {{ status assigneeId }} {ERRORS} }} }}"""
CLOSE = f"mutation($i: ID!) {{ closeInboxItem(input: {{id: $i}}) {{ inboxItem {{ status }} {ERRORS} }} }}"
REOPEN = f"mutation($i: ID!) {{ reopenInboxItem(input: {{id: $i}}) {{ inboxItem {{ status }} {ERRORS} }} }}"
NODE = "query($i: ID!) { node(id: $i) { ... on InboxItem { id status } } }"
THREAD = (
    "query($i: ID!) { inboxConversation(inboxItemId: $i) { entries { role mention { text } } } }"
)
TARGETS = f"""mutation($s: ID!) {{ setResponseTargets(input: {{subsidiaryId: $s,
  firstResponseSeconds: 3600, resolutionSeconds: -1}}) {{ responseTargets {{ id }} {ERRORS} }} }}"""


def data(answer: dict[str, Any]) -> dict[str, Any]:
    assert not answer.get("errors"), answer
    return answer["data"]  # type: ignore[no-any-return]


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


async def test_an_inbox_item_is_worked_through_graphql(
    fronts: tuple[Front, Front, Pipeline],
) -> None:
    admin, stranger, pipeline = fronts
    subsidiary = data(await admin.ask(SUBSIDIARY))["createSubsidiary"]["subsidiary"]["id"]
    brand = str(data(await admin.ask(BRAND, s=subsidiary))["createBrand"]["brand"]["id"])

    async def listening() -> bool:  # the brand replicated to the listener first
        answer = await admin.ask(QUERY, b=brand)
        return not answer.get("errors") and not answer["data"]["createListeningQuery"]["errors"]

    await eventually(listening, seconds=30)
    await pipeline.run(FIREHOSE, [post("at://fan/q1", "Lumiere ouvre dimanche ?", language="fr")])
    found: list[dict[str, Any]] = []

    async def arrived() -> bool:
        found[:] = data(await admin.ask(ITEMS, s=subsidiary))["inboxItems"]["nodes"]
        return bool(found)

    await eventually(arrived, seconds=30)
    (item,) = found
    assert (item["status"], item["reasons"], item["mention"]["text"]) == (
        "NEW", ["QUESTION"], "Lumiere ouvre dimanche ?"
    )  # fmt: skip
    assert [p["factor"] for p in item["urgencyParts"]] == [
        "REACH",
        "SENTIMENT",
        "CRISIS",
        "WAITING",
    ]
    i = item["id"]
    assert data(await admin.ask(NOTE, i=i))["addInboxNote"]["note"]["text"] == "À rappeler"
    assert data(await admin.ask(NOTE, i=i))["addInboxNote"]["errors"] == []  # a retry
    assert data(await admin.ask(NOTES, i=i))["inboxNotes"]["nodes"] == [{"text": "À rappeler"}]
    labelled = data(await admin.ask(LABELS, i=i))["setInboxItemLabels"]["inboxItem"]
    assert labelled == {"labels": ["vip"], "noteCount": 1}
    by_label = await admin.ask(ITEMS, s=brand, f={"label": "vip", "statuses": ["NEW"]})
    assert [n["id"] for n in data(by_label)["inboxItems"]["nodes"]] == [i]
    outsider = f"{subsidiary.split('/subsidiaries/')[0]}/members/nobody"
    refused = data(await admin.ask(ASSIGN, i=i, m=outsider))["assignInboxItem"]
    assert refused["inboxItem"] is None
    assert [(e["code"], e["reason"]) for e in refused["errors"]] == [
        ("FAILED_PRECONDITION", "ASSIGNEE_NOT_IN_SUBSIDIARY")
    ]
    assert data(await admin.ask(CLOSE, i=i))["closeInboxItem"]["inboxItem"] == {"status": "CLOSED"}
    assert data(await admin.ask(REOPEN, i=i))["reopenInboxItem"]["inboxItem"] == {"status": "NEW"}
    assert data(await admin.ask(NODE, i=i))["node"] == {"id": i, "status": "NEW"}
    entries = data(await admin.ask(THREAD, i=i))["inboxConversation"]["entries"]
    assert entries == [{"role": "ITEM", "mention": {"text": "Lumiere ouvre dimanche ?"}}]
    bad = data(await admin.ask(TARGETS, s=subsidiary))["setResponseTargets"]["errors"]
    assert [(e["code"], e["field"]) for e in bad] == [
        ("INVALID_INPUT", ["responseTargets", "resolutionSeconds"])
    ]
    hidden = await stranger.ask(NODE, i=i)
    assert hidden["errors"][0]["extensions"]["code"] == "NODE_NOT_FOUND"
    direct = await stranger.ask("query($i: ID!) { inboxItem(id: $i) { id } }", i=i)
    assert direct["errors"][0]["extensions"]["code"] == "INBOX_ITEM_NOT_FOUND"
