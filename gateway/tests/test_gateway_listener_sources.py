"""The listener's sources through GraphQL, served against a real directory and listener: a
round trip of create, read, list, update and delete; a stale etag and bad settings refused with
a code; an analyst reads but cannot create; another group sees and changes nothing."""

from collections.abc import AsyncIterator
from typing import Any

import pytest
from vigie_directory.testing import ADMIN_PASSWORD
from vigie_gateway.testing import Front, graphql_front, refusal

FIELDS = """id displayName kind enabled etag brandIds
  settings { __typename ... on RssSettings { feedUrl pollIntervalSeconds }
             ... on MastodonSettings { instanceUrl stream hashtag } }
  health { state lastError lagSeconds lastItemAt capturedCount skippedCount errorCount }"""
CREATE = f"mutation($i: CreateSourceInput!) {{ createSource(input: $i) {{ source {{ {FIELDS} }} errors {{ code reason message field }} }} }}"
UPDATE = f"mutation($i: UpdateSourceInput!) {{ updateSource(input: $i) {{ source {{ {FIELDS} }} errors {{ code reason message field }} }} }}"
DELETE = "mutation($id: ID!, $e: String) { deleteSource(input: {id: $id, etag: $e}) { deletedId errors { code reason message field } } }"
SOURCE = f"query($id: ID!) {{ source(id: $id) {{ {FIELDS} }} }}"
SOURCES = """query($k: SourceKind, $n: Int!, $a: String) { sources(filter: {kind: $k}, first: $n, after: $a) {
  nodes { id kind } pageInfo { hasNextPage endCursor } } }"""
ANALYST = """mutation($p: String!) { createMember(input: {email: "analyst@acme.test",
  displayName: "Ana", password: $p, roles: [{role: ANALYST}]}) { member { id } errors { code reason message field } } }"""
FEED: dict[str, Any] = {
    "displayName": "Le Monde",
    "settings": {"rss": {"feedUrl": "https://lemonde.test/rss"}},
}
MASTODON: dict[str, Any] = {"displayName": "Mastodon", "settings": {"mastodon": {
    "instanceUrl": "https://mastodon.test", "stream": "hashtag", "hashtag": "lumiere"}}}  # fmt: skip


def data(answer: dict[str, Any]) -> dict[str, Any]:
    assert not answer.get("errors"), answer
    return answer["data"]  # type: ignore[no-any-return]


def code(answer: dict[str, Any]) -> str:
    return refusal(answer)  # type: ignore[arg-type]


def denied(answer: dict[str, Any]) -> bool:
    extensions = answer["errors"][0]["extensions"] if answer.get("errors") else {}
    return (extensions.get("code"), extensions.get("status")) == (
        "ROLE_REQUIRED",
        "PERMISSION_DENIED",
    )


@pytest.fixture
async def fronts(behind_gateway: Any) -> AsyncIterator[tuple[Front, Front, Front]]:
    """The Acme admin, an Acme analyst and the Rival admin."""
    app = (await behind_gateway("listener")).app
    async with (
        graphql_front(app) as admin,
        graphql_front(app) as analyst,
        graphql_front(app) as stranger,
    ):
        await admin.log_in("admin@acme.test", ADMIN_PASSWORD)
        data(await admin.ask(ANALYST, p=ADMIN_PASSWORD))
        await analyst.log_in("analyst@acme.test", ADMIN_PASSWORD)
        await stranger.log_in("admin@rival.test", ADMIN_PASSWORD)
        yield admin, analyst, stranger


async def test_a_source_is_created_read_listed_changed_and_deleted(
    fronts: tuple[Front, Front, Front],
) -> None:
    admin, analyst, _ = fronts
    feed = data(await admin.ask(CREATE, i=FEED))["createSource"]["source"]
    assert feed["id"].startswith("tenants/") and "/sources/" in feed["id"]
    assert (feed["kind"], feed["enabled"], feed["brandIds"]) == ("RSS", True, [])
    assert feed["settings"] == {
        "__typename": "RssSettings", "feedUrl": "https://lemonde.test/rss",
        "pollIntervalSeconds": 0,
    }  # fmt: skip
    assert feed["health"]["lastItemAt"] is None
    assert (feed["health"]["capturedCount"], feed["health"]["errorCount"]) == (0, 0)
    assert data(await analyst.ask(SOURCE, id=feed["id"]))["source"] == feed
    retried = {**MASTODON, "requestId": "create-mastodon-1"}
    mastodon = data(await admin.ask(CREATE, i=retried))["createSource"]["source"]
    assert mastodon["settings"]["hashtag"] == "lumiere"
    assert (
        data(await admin.ask(CREATE, i=retried))["createSource"]["source"]["id"] == mastodon["id"]
    )

    first = data(await admin.ask(SOURCES, n=1))["sources"]
    assert first["pageInfo"]["hasNextPage"] is True
    rest = data(await admin.ask(SOURCES, n=1, a=first["pageInfo"]["endCursor"]))["sources"]
    assert rest["pageInfo"] == {"hasNextPage": False, "endCursor": None}
    assert {n["id"] for n in first["nodes"] + rest["nodes"]} == {feed["id"], mastodon["id"]}
    only_rss = data(await admin.ask(SOURCES, k="RSS", n=10))["sources"]["nodes"]
    assert only_rss == [{"id": feed["id"], "kind": "RSS"}]

    # Only the fields given change: the feed's address stays, its poll interval is set.
    change = {"id": feed["id"], "etag": feed["etag"], "enabled": False,
              "settings": {"rss": {"pollIntervalSeconds": 600}}}  # fmt: skip
    changed = data(await admin.ask(UPDATE, i=change))["updateSource"]["source"]
    assert (changed["enabled"], changed["displayName"]) == (False, "Le Monde")
    assert changed["settings"]["feedUrl"] == "https://lemonde.test/rss"
    assert changed["settings"]["pollIntervalSeconds"] == 600
    assert changed["etag"] != feed["etag"]
    renamed = {"id": feed["id"], "etag": changed["etag"], "displayName": "Le Monde (fil)"}
    assert data(await admin.ask(UPDATE, i=renamed))["updateSource"]["source"]["enabled"] is False

    assert code(await admin.ask(UPDATE, i=change)) == "ETAG_MISMATCH"
    assert code(await admin.ask(DELETE, id=feed["id"], e=feed["etag"])) == "ETAG_MISMATCH"
    gone = data(await admin.ask(DELETE, id=feed["id"]))["deleteSource"]
    assert gone == {"deletedId": feed["id"], "errors": []}
    assert code(await admin.ask(SOURCE, id=feed["id"])) == "SOURCE_NOT_FOUND"


async def test_bad_settings_are_refused_with_a_code(fronts: tuple[Front, Front, Front]) -> None:
    admin, _, _ = fronts
    not_a_url = {"displayName": "Feed", "settings": {"rss": {"feedUrl": "ftp://x.test/rss"}}}
    refused = await admin.ask(CREATE, i=not_a_url)
    assert code(refused) == "INVALID_ARGUMENT"
    (error,) = refused["data"]["createSource"]["errors"]
    assert (error["code"], error["field"]) == ("INVALID_INPUT", ["source", "rss", "feedUrl"])
    no_kind = {"displayName": "Feed", "settings": {}}
    assert code(await admin.ask(CREATE, i=no_kind)) == "INVALID_ARGUMENT"
    two_kinds = {"displayName": "Feed", "settings": {**FEED["settings"], **MASTODON["settings"]}}
    assert code(await admin.ask(CREATE, i=two_kinds)) == "INVALID_ARGUMENT"
    bad_stream = {"displayName": "M", "settings": {"mastodon": {
        "instanceUrl": "https://mastodon.test", "stream": "everything"}}}  # fmt: skip
    assert code(await admin.ask(CREATE, i=bad_stream)) == "INVALID_ARGUMENT"

    feed = data(await admin.ask(CREATE, i=FEED))["createSource"]["source"]
    other_kind = {"id": feed["id"], "settings": MASTODON["settings"]}
    assert code(await admin.ask(UPDATE, i=other_kind)) == "INVALID_ARGUMENT"
    bad_url = {"id": feed["id"], "settings": {"rss": {"feedUrl": "lemonde.test"}}}
    assert code(await admin.ask(UPDATE, i=bad_url)) == "INVALID_ARGUMENT"
    assert data(await admin.ask(SOURCE, id=feed["id"]))["source"] == feed
    assert code(await admin.ask(SOURCES, n=0)) == "INVALID_ARGUMENT"


async def test_an_analyst_reads_but_cannot_change(fronts: tuple[Front, Front, Front]) -> None:
    admin, analyst, _ = fronts
    assert denied(await analyst.ask(CREATE, i=FEED))
    feed = data(await admin.ask(CREATE, i=FEED))["createSource"]["source"]
    assert data(await analyst.ask(SOURCES, n=10))["sources"]["nodes"][0]["id"] == feed["id"]
    assert denied(await analyst.ask(UPDATE, i={"id": feed["id"], "enabled": False}))
    assert denied(await analyst.ask(DELETE, id=feed["id"]))
    assert data(await admin.ask(SOURCE, id=feed["id"]))["source"] == feed


async def test_another_group_sees_and_changes_nothing(fronts: tuple[Front, Front, Front]) -> None:
    admin, _, stranger = fronts
    feed = data(await admin.ask(CREATE, i=FEED))["createSource"]["source"]
    assert data(await stranger.ask(SOURCES, n=10))["sources"]["nodes"] == []
    assert code(await stranger.ask(SOURCE, id=feed["id"])) == "SOURCE_NOT_FOUND"
    change = {"id": feed["id"], "etag": feed["etag"], "displayName": "Volé"}
    assert code(await stranger.ask(UPDATE, i=change)) == "SOURCE_NOT_FOUND"
    assert code(await stranger.ask(DELETE, id=feed["id"])) == "SOURCE_NOT_FOUND"
    assert data(await admin.ask(SOURCE, id=feed["id"]))["source"] == feed
