"""Global ids and Relay pages: any object read back with `node`/`nodes`, another group's ids
refused as NOT_FOUND without their data, and edge cursors that continue after their item."""

from collections.abc import AsyncIterator
from typing import Any

import pytest
from vigie_directory.testing import ADMIN_PASSWORD
from vigie_gateway.testing import Front, graphql_front

SUBSIDIARY = """mutation($n: String!) { createSubsidiary(input: {displayName: $n, country: "FR",
  locale: "fr-FR", timeZone: "Europe/Paris"}) { subsidiary { id } errors { code } } }"""
BRAND = """mutation($s: ID!, $n: String!) {
  createBrand(input: {subsidiaryId: $s, displayName: $n}) { brand { id } errors { code } } }"""
NODES = """query($ids: [ID!]!) { nodes(ids: $ids) { __typename id
  ... on Brand { displayName subsidiary { id } } ... on Subsidiary { timeZone }
  ... on Organization { displayName } ... on Member { email } } }"""
PAGE = """query($n: Int!, $a: String) { subsidiaries(first: $n, after: $a) {
  nodes { id } edges { cursor node { id } } pageInfo { hasNextPage endCursor } } }"""


def data(answer: dict[str, Any]) -> dict[str, Any]:
    assert not answer.get("errors"), answer
    return answer["data"]  # type: ignore[no-any-return]


@pytest.fixture
async def fronts(behind_gateway: Any) -> AsyncIterator[tuple[Front, Front]]:
    served = await behind_gateway()
    async with graphql_front(served.app) as acme, graphql_front(served.app) as rival:
        await acme.log_in("admin@acme.test", ADMIN_PASSWORD)
        await rival.log_in("admin@rival.test", ADMIN_PASSWORD)
        yield acme, rival


async def new_subsidiary(front: Front, name: str) -> str:
    return str(data(await front.ask(SUBSIDIARY, n=name))["createSubsidiary"]["subsidiary"]["id"])


async def test_any_object_is_read_back_by_its_global_id(fronts: tuple[Front, Front]) -> None:
    acme, _ = fronts
    france = await new_subsidiary(acme, "France")
    brand = data(await acme.ask(BRAND, s=france, n="Lumière"))["createBrand"]["brand"]["id"]
    me = data(await acme.ask("{ me { id } organization { id } }"))
    ids = [brand, france, me["organization"]["id"], me["me"]["id"]]
    found = data(await acme.ask(NODES, ids=ids))["nodes"]
    assert [(n["__typename"], n["id"]) for n in found] == [
        ("Brand", brand), ("Subsidiary", france),
        ("Organization", me["organization"]["id"]), ("Member", me["me"]["id"]),
    ]  # fmt: skip
    assert found[0]["subsidiary"] == {"id": france} and found[1]["timeZone"] == "Europe/Paris"
    one = data(
        await acme.ask(
            "query($id: ID!) { node(id: $id) { id ... on Brand { displayName } } }", id=brand
        )
    )
    assert one["node"] == {"id": brand, "displayName": "Lumière"}


async def test_another_groups_id_is_null_with_not_found_and_never_its_data(
    fronts: tuple[Front, Front],
) -> None:
    acme, rival = fronts
    theirs = await new_subsidiary(rival, "Rival France")
    secret = data(await rival.ask(BRAND, s=theirs, n="Secret"))["createBrand"]["brand"]["id"]
    ours = await new_subsidiary(acme, "France")
    answer = await acme.ask(
        NODES, ids=[ours, secret, theirs, "tenants/x/unknownThings/y", "nonsense"]
    )
    assert [n and n["id"] for n in answer["data"]["nodes"]] == [ours, None, None, None, None]
    assert sorted(e["path"][1] for e in answer["errors"]) == [1, 2, 3, 4]
    assert {e["extensions"]["status"] for e in answer["errors"]} == {"NOT_FOUND"}
    assert "Secret" not in str(answer) and "Rival" not in str(answer)
    single = await acme.ask("query($id: ID!) { node(id: $id) { id } }", id=secret)
    assert single["data"] == {"node": None}
    assert single["errors"][0]["extensions"]["status"] == "NOT_FOUND"


async def test_an_edge_cursor_continues_right_after_its_item(fronts: tuple[Front, Front]) -> None:
    acme, _ = fronts
    made = [await new_subsidiary(acme, f"Country {i}") for i in range(5)]
    first = data(await acme.ask(PAGE, n=3))["subsidiaries"]
    assert [e["node"]["id"] for e in first["edges"]] == [n["id"] for n in first["nodes"]]
    assert [n["id"] for n in first["nodes"]] == made[:3]
    # Relay: the last edge's cursor is endCursor when another page follows.
    assert first["edges"][-1]["cursor"] == first["pageInfo"]["endCursor"]
    after_first = data(await acme.ask(PAGE, n=2, a=first["edges"][0]["cursor"]))["subsidiaries"]
    assert [n["id"] for n in after_first["nodes"]] == made[1:3]
    rest = data(await acme.ask(PAGE, n=10, a=after_first["edges"][1]["cursor"]))["subsidiaries"]
    assert [n["id"] for n in rest["nodes"]] == made[3:]
    assert rest["pageInfo"] == {"hasNextPage": False, "endCursor": None}
    bad = await acme.ask(PAGE, n=2, a="e1.not-base64!")
    assert bad["errors"][0]["extensions"]["code"] == "INVALID_ARGUMENT"


async def test_lists_take_their_filters_in_one_filter_input(fronts: tuple[Front, Front]) -> None:
    acme, _ = fronts
    france, spain = await new_subsidiary(acme, "France"), await new_subsidiary(acme, "Spain")
    await acme.ask(BRAND, s=france, n="Lumière")
    spanish = data(await acme.ask(BRAND, s=spain, n="Luz"))["createBrand"]["brand"]["id"]
    only_spain = """query($s: ID!) { brands(filter: {subsidiaryId: $s, kind: OWN}) {
      nodes { id } } }"""
    assert data(await acme.ask(only_spain, s=spain))["brands"]["nodes"] == [{"id": spanish}]
    competitors = "{ brands(filter: {kind: COMPETITOR}) { nodes { id } } }"
    assert data(await acme.ask(competitors))["brands"]["nodes"] == []
