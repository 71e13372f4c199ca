"""Tracked accounts and proposed slots through GraphQL, against a real directory and publisher
(NATS between them): tracked, listed in pages, changed, deleted; refusals with their codes;
another group sees none of it; slots ranked by the best times the reputation service sent."""

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import nats
import pytest
from vigie.reputation.v1 import events_pb2, resources_pb2
from vigie_directory.testing import ADMIN_PASSWORD
from vigie_gateway.testing import Front, graphql_front, refusal
from vigie_runtime.events import EventType, cloudevent_headers
from vigie_runtime.nats_connection import ensure_stream
from vigie_runtime.testing.waiting import eventually

FIELDS = "id brandId network handle instanceUrl displayName lastSnapshotAt lastError etag"
TRACK = f"mutation($i: TrackAccountInput!) {{ trackAccount(input: $i) {{ trackedAccount {{ {FIELDS} }} errors {{ code reason message field }} }} }}"
UPDATE = f"mutation($i: UpdateTrackedAccountInput!) {{ updateTrackedAccount(input: $i) {{ trackedAccount {{ {FIELDS} }} errors {{ code reason message field }} }} }}"
DELETE = "mutation($id: ID!, $e: String) { deleteTrackedAccount(input: {id: $id, etag: $e}) { deletedId errors { code reason message field } } }"
ONE = f"query($id: ID!) {{ trackedAccount(id: $id) {{ {FIELDS} }} }}"
LIST = """query($b: ID!, $n: Int!, $a: String, $k: Network) {
  trackedAccounts(brandId: $b, first: $n, after: $a, filter: {network: $k}) {
  nodes { id handle } pageInfo { hasNextPage endCursor } } }"""
SUBSIDIARY = """mutation { createSubsidiary(input: {displayName: "France", country: "FR",
  locale: "fr-FR", timeZone: "Europe/Paris"}) { subsidiary { id } errors { code reason message field } } }"""
BRAND = 'mutation($s: ID!) { createBrand(input: {subsidiaryId: $s, displayName: "Lumière"}) { brand { id } errors { code reason message field } } }'
CONNECT = "mutation($i: ConnectSocialAccountInput!) { connectSocialAccount(input: $i) { socialAccount { id } errors { code reason message field } } }"
SLOTS = """query($a: ID!, $f: DateTime!, $t: DateTime!, $n: Int!) {
  proposedSlots(account: $a, from: $f, to: $t, first: $n) { at localTime score basis reason } }"""
BEST_TIMES_UPDATED = EventType("reputation", "best_times", "updated", events_pb2.BestTimesUpdated)
# A week of June 2030 in Paris (UTC+2), Monday to Monday.
MONDAY = datetime(2030, 6, 2, 22, 0, tzinfo=UTC)


def data(answer: dict[str, Any]) -> dict[str, Any]:
    assert not answer.get("errors"), answer
    return answer["data"]  # type: ignore[no-any-return]


def code(answer: dict[str, Any]) -> str:
    return refusal(answer)  # type: ignore[arg-type]


@pytest.fixture
async def platform(behind_gateway: Any) -> AsyncIterator[tuple[Front, Front, str, str]]:
    """The Acme admin, the Rival admin, Acme's brand (known to the publisher) and its tenant."""
    served = await behind_gateway("publisher")
    async with graphql_front(served.app) as admin, graphql_front(served.app) as stranger:
        await admin.log_in("admin@acme.test", ADMIN_PASSWORD)
        await stranger.log_in("admin@rival.test", ADMIN_PASSWORD)
        subsidiary = data(await admin.ask(SUBSIDIARY))["createSubsidiary"]["subsidiary"]["id"]
        brand = str(data(await admin.ask(BRAND, s=subsidiary))["createBrand"]["brand"]["id"])

        async def known() -> bool:
            return not (await admin.ask(LIST, b=brand, n=1)).get("errors")

        await eventually(known)
        yield admin, stranger, brand, served.tenants["Acme Group"]


def rival(brand: str, handle: str = "@rival@mastodon.example", **more: str) -> dict[str, Any]:
    return {"brandId": brand, "network": "MASTODON", "handle": handle, **more}


async def test_a_tracked_account_is_added_listed_changed_and_deleted(
    platform: tuple[Front, Front, str, str],
) -> None:
    admin, stranger, brand, _ = platform
    first = data(await admin.ask(TRACK, i=rival(brand, requestId="t-1")))["trackAccount"][
        "trackedAccount"
    ]
    assert first["id"].startswith(f"{brand}/trackedAccounts/")
    assert (first["network"], first["handle"], first["lastSnapshotAt"]) == (
        "MASTODON", "@rival@mastodon.example", None,
    )  # fmt: skip
    assert (
        data(await admin.ask(TRACK, i=rival(brand, requestId="t-1")))["trackAccount"][
            "trackedAccount"
        ]
        == first
    )
    second = data(await admin.ask(TRACK, i=rival(brand, "@other@mastodon.example")))[
        "trackAccount"
    ]["trackedAccount"]
    page = data(await admin.ask(LIST, b=brand, n=1))["trackedAccounts"]
    assert page["nodes"] == [{"id": first["id"], "handle": first["handle"]}]
    rest = data(await admin.ask(LIST, b=brand, n=1, a=page["pageInfo"]["endCursor"]))
    assert [n["id"] for n in rest["trackedAccounts"]["nodes"]] == [second["id"]]
    assert data(await admin.ask(LIST, b=brand, n=5, k="X"))["trackedAccounts"]["nodes"] == []

    change = {"id": first["id"], "etag": first["etag"], "displayName": "Rival SA"}
    changed = data(await admin.ask(UPDATE, i=change))["updateTrackedAccount"]["trackedAccount"]
    assert (changed["displayName"], changed["instanceUrl"]) == ("Rival SA", "")
    assert code(await admin.ask(UPDATE, i=change)) == "ETAG_MISMATCH"
    assert code(await admin.ask(UPDATE, i={"id": first["id"]})) == "INVALID_ARGUMENT"
    assert data(await admin.ask(DELETE, id=first["id"]))["deleteTrackedAccount"] == {
        "deletedId": first["id"],
        "errors": [],
    }
    assert code(await admin.ask(ONE, id=first["id"])) == "TRACKED_ACCOUNT_NOT_FOUND"
    assert code(await stranger.ask(ONE, id=second["id"])) == "TRACKED_ACCOUNT_NOT_FOUND"
    assert code(await stranger.ask(DELETE, id=second["id"])) == "TRACKED_ACCOUNT_NOT_FOUND"


async def test_bad_handles_and_duplicates_are_refused_with_their_codes(
    platform: tuple[Front, Front, str, str],
) -> None:
    admin, _, brand, _ = platform
    assert code(await admin.ask(TRACK, i=rival(brand, "@rival"))) == "BAD_HANDLE"
    data(await admin.ask(TRACK, i=rival(brand)))
    assert code(await admin.ask(TRACK, i=rival(brand, "Rival@Mastodon.example"))) == (
        "TRACKED_ACCOUNT_EXISTS"
    )


async def test_proposed_slots_follow_the_best_times_the_reputation_service_sent(
    platform: tuple[Front, Front, str, str], nats_url: str
) -> None:
    admin, stranger, brand, tenant = platform
    account = data(await admin.ask(CONNECT, i={
        "brandId": brand, "network": "MASTODON", "handle": "@lumiere@mastodon.example",
        "timeZone": "Europe/Paris",
        "credentials": {"mastodon": {"instanceUrl": "https://mastodon.example", "accessToken": "t"}},
    }))["connectSocialAccount"]["socialAccount"]["id"]  # fmt: skip
    week = {"a": account, "f": MONDAY.isoformat(), "t": (MONDAY + timedelta(days=7)).isoformat()}
    assert data(await admin.ask(SLOTS, n=3, **week))["proposedSlots"] == []  # nothing known yet
    await send_best_times(nats_url, tenant.removeprefix("tenants/"), account)

    async def ranked() -> bool:
        return bool(data(await admin.ask(SLOTS, n=3, **week))["proposedSlots"])

    await eventually(ranked)
    best, second = data(await admin.ask(SLOTS, n=3, **week))["proposedSlots"]
    assert (best["localTime"], best["score"], best["basis"]) == (
        "2030-06-05T18:30",
        2.4,
        "own_history",
    )
    assert best["at"].startswith("2030-06-05T16:30")
    assert "Wednesday 18:30 scores 2.40" in best["reason"]
    assert second["localTime"] == "2030-06-04T09:00"
    too_long = {**week, "t": (MONDAY + timedelta(days=40)).isoformat()}
    assert code(await admin.ask(SLOTS, n=3, **too_long)) == "RANGE_TOO_LONG"
    assert code(await stranger.ask(SLOTS, n=3, **week)) == "SOCIAL_ACCOUNT_NOT_FOUND"


async def send_best_times(nats_url: str, tenant: str, account: str) -> None:
    """What the reputation service emits after learning the account's best times."""
    best = resources_pb2.BestTimes(
        account=account, time_zone="Europe/Paris", basis="own_history", posts_used=60,
        slots=[resources_pb2.WeekSlot(weekday=3, minute_of_day=18 * 60 + 30, score=2.4),
               resources_pb2.WeekSlot(weekday=2, minute_of_day=9 * 60, score=1.8)],
    )  # fmt: skip
    best.compute_time.FromDatetime(datetime.now(UTC))
    payload = events_pb2.BestTimesUpdated(best_times=best).SerializeToString()
    event_id = f"bt-{datetime.now(UTC).timestamp()}"
    headers = cloudevent_headers(
        event_id, BEST_TIMES_UPDATED.ce_type, "reputation", tenant, datetime.now(UTC)
    )
    connection = await nats.connect(nats_url)
    try:
        js = connection.jetstream()
        await ensure_stream(js, "reputation")
        await js.publish(
            BEST_TIMES_UPDATED.subject(tenant),
            payload,
            headers={**headers, "Nats-Msg-Id": event_id},
        )
    finally:
        await connection.close()
