"""Saved replies and replies through GraphQL, against a real directory and publisher (NATS
between them): a saved reply rendered in a mention's language, a reply written from it once per
requestId, read by id, node and list; refusals with their codes; another group sees none of it."""

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import nats
import pytest
from vigie.listener.v1 import events_pb2 as listener_events
from vigie.listener.v1 import resources_pb2 as listener
from vigie_directory.testing import ADMIN_PASSWORD
from vigie_gateway.testing import Front, graphql_front, refusal
from vigie_runtime.events import EventType, cloudevent_headers
from vigie_runtime.nats_connection import ensure_stream
from vigie_runtime.testing.waiting import eventually

ERRORS = "errors { code reason message field }"
SAVED_FIELDS = "id displayName variants { language text } defaultLanguage variables etag"
REPLY_FIELDS = (
    "id inReplyToId socialAccountId network text language savedReplyId state inboxItemId "
    "author approvalReason etag"
)
SAVE = f"mutation($i: CreateSavedReplyInput!) {{ createSavedReply(input: $i) {{ savedReply {{ {SAVED_FIELDS} }} {ERRORS} }} }}"
UPDATE_SAVED = f"mutation($i: UpdateSavedReplyInput!) {{ updateSavedReply(input: $i) {{ savedReply {{ {SAVED_FIELDS} }} {ERRORS} }} }}"
DELETE_SAVED = (
    f"mutation($id: ID!) {{ deleteSavedReply(input: {{id: $id}}) {{ deletedId {ERRORS} }} }}"
)
SAVED_LIST = """query($b: ID!, $l: String) { savedReplies(brandId: $b, first: 10, filter: {language: $l}) {
  nodes { id } } }"""
RENDER = """query($s: ID!, $m: ID, $l: String, $v: [TemplateVariableInput!]) {
  renderedReply(savedReplyId: $s, mentionId: $m, language: $l, variables: $v) { text language } }"""
REPLY = f"mutation($i: CreateReplyInput!) {{ createReply(input: $i) {{ reply {{ {REPLY_FIELDS} }} {ERRORS} }} }}"
APPROVE = (
    f"mutation($i: ReviewReplyInput!) {{ approveReply(input: $i) {{ reply {{ id }} {ERRORS} }} }}"
)
REJECT = (
    f"mutation($i: ReviewReplyInput!) {{ rejectReply(input: $i) {{ reply {{ id }} {ERRORS} }} }}"
)
ONE = f"query($id: ID!) {{ reply(id: $id) {{ {REPLY_FIELDS} }} }}"
NODE = "query($id: ID!) { node(id: $id) { id ... on Reply { text } ... on SavedReply { displayName } } }"
LIST = """query($p: ID!, $m: ID) { replies(parentId: $p, first: 10, filter: {inReplyToId: $m}) {
  nodes { id text } pageInfo { hasNextPage } } }"""
SUBSIDIARY = """mutation { createSubsidiary(input: {displayName: "France", country: "FR",
  locale: "fr-FR", timeZone: "Europe/Paris"}) { subsidiary { id } errors { code } } }"""
BRAND = 'mutation($s: ID!) { createBrand(input: {subsidiaryId: $s, displayName: "Lumière"}) { brand { id } errors { code } } }'
CONNECT = "mutation($i: ConnectSocialAccountInput!) { connectSocialAccount(input: $i) { socialAccount { id } errors { code reason } } }"
ITEM_OPENED = EventType("listener", "inbox", "item_opened", listener_events.InboxItemOpened)
VARIABLES = [{"name": "name", "value": "Camille"}]


def data(answer: dict[str, Any]) -> dict[str, Any]:
    assert not answer.get("errors"), answer
    return answer["data"]  # type: ignore[no-any-return]


def error(answer: dict[str, Any], mutation: str) -> tuple[str, str]:
    (found,) = data(answer)[mutation]["errors"]
    return found["code"], found["reason"]


@pytest.fixture
async def platform(behind_gateway: Any) -> AsyncIterator[tuple[Front, Front, str, str, str]]:
    """The Acme admin, the Rival admin, Acme's brand with a Bluesky account, its subsidiary and
    tenant."""
    served = await behind_gateway("publisher")
    async with graphql_front(served.app) as admin, graphql_front(served.app) as stranger:
        await admin.log_in("admin@acme.test", ADMIN_PASSWORD)
        await stranger.log_in("admin@rival.test", ADMIN_PASSWORD)
        subsidiary = data(await admin.ask(SUBSIDIARY))["createSubsidiary"]["subsidiary"]["id"]
        brand = str(data(await admin.ask(BRAND, s=subsidiary))["createBrand"]["brand"]["id"])
        account = {
            "brandId": brand, "network": "BLUESKY", "handle": "@lumiere.bsky.example",
            "timeZone": "Europe/Paris",
            "credentials": {"bluesky": {"serviceUrl": "http://127.0.0.1:9", "identifier":
                            "lumiere.bsky.example", "appPassword": "p"}},
        }  # fmt: skip

        async def connected() -> bool:
            made = data(await admin.ask(CONNECT, i=account))["connectSocialAccount"]
            return made["socialAccount"] is not None

        await eventually(connected)
        yield admin, stranger, brand, subsidiary, served.tenants["Acme Group"]


async def open_inbox_item(nats_url: str, tenant: str, brand: str, subsidiary: str) -> str:
    """What the listener emits when a French question enters the inbox; the mention's id."""
    mention = listener.Mention(
        name=f"{brand}/mentions/q1", brand=brand, source_kind=listener.SOURCE_KIND_BLUESKY,
        external_id="at://did:plc:camille/app.bsky.feed.post/3q1", language="fr-FR",
        author=listener.MentionAuthor(handle="@camille", followers_count=12),
    )  # fmt: skip
    item = listener.InboxItem(name=f"{brand}/inboxItems/i1", mention=mention.name, brand=brand)
    payload = listener_events.InboxItemOpened(item=item, mention=mention, subsidiary=subsidiary)
    event_id = f"io-{datetime.now(UTC).timestamp()}"
    bare = tenant.removeprefix("tenants/")
    headers = cloudevent_headers(event_id, ITEM_OPENED.ce_type, "listener", bare, datetime.now(UTC))
    connection = await nats.connect(nats_url)
    try:
        js = connection.jetstream()
        await ensure_stream(js, "listener")
        await js.publish(
            ITEM_OPENED.subject(bare),
            payload.SerializeToString(),
            headers={**headers, "Nats-Msg-Id": event_id},
        )
    finally:
        await connection.close()
    return str(mention.name)


SAVED = {
    "displayName": "Merci",
    "variants": [
        {"language": "en", "text": "Thanks {{name}}!"},
        {"language": "fr", "text": "Merci {{name}} !"},
    ],
    "defaultLanguage": "en",
    "requestId": "s-1",
}


async def test_a_mention_is_answered_from_a_saved_reply_in_its_language(
    platform: tuple[Front, Front, str, str, str], nats_url: str
) -> None:
    admin, stranger, brand, subsidiary, tenant = platform
    saved = data(await admin.ask(SAVE, i={**SAVED, "brandId": brand}))["createSavedReply"]
    saved = saved["savedReply"]
    assert saved["variables"] == ["name"] and saved["id"].startswith(f"{brand}/savedReplies/")
    again = data(await admin.ask(SAVE, i={**SAVED, "brandId": brand}))["createSavedReply"]
    assert again["savedReply"] == saved
    assert data(await admin.ask(SAVED_LIST, b=brand, l="fr-CA"))["savedReplies"]["nodes"] == [
        {"id": saved["id"]}
    ]
    assert data(await admin.ask(SAVED_LIST, b=brand, l="de"))["savedReplies"]["nodes"] == []
    rendered = data(await admin.ask(RENDER, s=saved["id"], l="fr-CA", v=VARIABLES))
    assert rendered["renderedReply"] == {"text": "Merci Camille !", "language": "fr"}

    mention = await open_inbox_item(nats_url, tenant, brand, subsidiary)
    question = {"brandId": brand, "inReplyToId": mention, "savedReplyId": saved["id"],
                "variables": VARIABLES, "requestId": "r-1"}  # fmt: skip

    async def known() -> bool:
        answer = data(await admin.ask(REPLY, i=question))["createReply"]
        return answer["reply"] is not None

    await eventually(known)
    reply = data(await admin.ask(REPLY, i=question))["createReply"]["reply"]
    assert (reply["text"], reply["language"], reply["network"]) == (
        "Merci Camille !", "fr", "BLUESKY",
    )  # fmt: skip
    assert reply["inReplyToId"] == mention and reply["savedReplyId"] == saved["id"]
    assert reply["inboxItemId"] == f"{brand}/inboxItems/i1" and reply["approvalReason"] == ""
    assert data(await admin.ask(ONE, id=reply["id"]))["reply"]["id"] == reply["id"]
    assert data(await admin.ask(NODE, id=reply["id"]))["node"]["text"] == "Merci Camille !"
    assert data(await admin.ask(NODE, id=saved["id"]))["node"]["displayName"] == "Merci"
    listed = data(await admin.ask(LIST, p=brand, m=mention))["replies"]["nodes"]
    assert listed == [{"id": reply["id"], "text": "Merci Camille !"}]
    rendered = data(await admin.ask(RENDER, s=saved["id"], m=mention, v=VARIABLES))
    assert rendered["renderedReply"]["language"] == "fr"

    # Refusals: each with its code and the service's reason.
    unknown = {**question, "inReplyToId": f"{brand}/mentions/nope", "requestId": ""}
    assert error(await admin.ask(REPLY, i=unknown), "createReply") == (
        "NOT_FOUND", "MENTION_NOT_FOUND",
    )  # fmt: skip
    missing = {**question, "variables": [], "requestId": ""}
    assert error(await admin.ask(REPLY, i=missing), "createReply") == (
        "INVALID_INPUT", "MISSING_TEMPLATE_VARIABLE",
    )  # fmt: skip
    review = {"id": reply["id"], "comment": "ok"}
    assert error(await admin.ask(APPROVE, i=review), "approveReply") == (
        "FAILED_PRECONDITION", "REPLY_NOT_PENDING_APPROVAL",
    )  # fmt: skip
    assert error(await admin.ask(REJECT, i={"id": reply["id"]}), "rejectReply") == (
        "INVALID_INPUT", "COMMENT_REQUIRED",
    )  # fmt: skip
    change = {"id": saved["id"], "defaultLanguage": "de"}
    assert error(await admin.ask(UPDATE_SAVED, i=change), "updateSavedReply") == (
        "INVALID_INPUT", "UNKNOWN_LANGUAGE",
    )  # fmt: skip
    renamed = {"id": saved["id"], "displayName": "Merci !", "etag": saved["etag"]}
    updated = data(await admin.ask(UPDATE_SAVED, i=renamed))["updateSavedReply"]["savedReply"]
    assert updated["displayName"] == "Merci !"

    # Another group sees none of it.
    assert refusal(await stranger.ask(ONE, id=reply["id"])) == "REPLY_NOT_FOUND"
    assert refusal(await stranger.ask(RENDER, s=saved["id"], l="fr")) == "SAVED_REPLY_NOT_FOUND"
    assert error(await stranger.ask(REPLY, i=unknown), "createReply")[0] == "NOT_FOUND"
    assert error(await stranger.ask(DELETE_SAVED, id=saved["id"]), "deleteSavedReply") == (
        "NOT_FOUND", "SAVED_REPLY_NOT_FOUND",
    )  # fmt: skip
    deleted = data(await admin.ask(DELETE_SAVED, id=saved["id"]))["deleteSavedReply"]
    assert deleted == {"deletedId": saved["id"], "errors": []}
