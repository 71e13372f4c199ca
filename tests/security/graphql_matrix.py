"""The GraphQL half of the isolation matrix: every root field of the introspected schema x every
attack, over HTTP (queries, mutations) and the WebSocket (subscriptions).

A refusal is a top-level error on the field, a null field, or a payload whose `errors` list is
not empty (the `<Name>Payload { ... errors { code } }` shape): the matrix accepts all three, so
it follows the schema as mutations move to payloads."""

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
from graphql import (
    GraphQLSchema,
    build_client_schema,
    get_introspection_query,
    get_named_type,
    is_list_type,
    is_non_null_type,
)

from tests.security.attacks import ATTACKS, OWN_READS, Exposure, exposure, leaks
from tests.security.graphql_operations import Operation, operations, roots
from tests.security.world import World

BROKEN = ("INTERNAL", "INTERNAL_SERVER_ERROR")


@dataclass(frozen=True)
class GraphqlCase:
    operation: Operation
    principal: str
    target: str
    targeted: bool
    exposed: Exposure
    filtering: bool  # a list or a filtered read: an empty answer is a refusal

    def label(self) -> str:
        return f"{self.principal}->{self.target} {self.operation.key} {sorted(self.operation.used)}"


async def introspect(http: httpx.AsyncClient, url: str, token: str) -> GraphQLSchema:
    answer = await http.post(url, json={"query": get_introspection_query()},
                             headers={"Authorization": f"Bearer {token}"})  # fmt: skip
    answer.raise_for_status()
    return build_client_schema(answer.json()["data"])


def _is_filtering(root: str, field: Any) -> bool:
    """A query answering a list or a page: its arguments filter what the caller may see."""
    if root != "Query":
        return False
    kind = field.type.of_type if is_non_null_type(field.type) else field.type
    return get_named_type(kind).name.endswith("Connection") or is_list_type(kind)


def cases(schema: GraphQLSchema, world: World) -> Iterator[GraphqlCase]:
    own = world.scopes["A1"].names
    for root, name, field in roots(schema):
        filtering = _is_filtering(root, field)
        for principal, target in ATTACKS:
            exposed = exposure(world, (target,))
            for operation in operations(schema, root, name, field, world.scopes[target].names):
                targeted = bool(operation.used & exposed.names)
                if operation.used and not targeted and root == "Mutation":
                    continue  # a change aimed at nothing of the target
                yield GraphqlCase(operation, principal, target, targeted, exposed, filtering)
        if root == "Query":
            for principal, hidden in OWN_READS:
                exposed = exposure(world, hidden)
                for operation in operations(schema, root, name, field, own):
                    yield GraphqlCase(operation, principal, "own", False, exposed, filtering)


@dataclass(frozen=True)
class Reply:
    status: int
    body: dict[str, Any]
    text: str


def refused(case: GraphqlCase, body: dict[str, Any]) -> bool:
    field = case.operation.field
    errors = body.get("errors") or []
    if any((e.get("path") or [None])[0] == field for e in errors):
        return True
    value = (body.get("data") or {}).get(field)
    if value is None:
        return True
    return isinstance(value, dict) and bool(value.get("errors"))


def unexercised(body: dict[str, Any]) -> bool:
    """The request never ran: the generator built something the schema refuses."""
    return "data" not in body and bool(body.get("errors"))


def judge(case: GraphqlCase, reply: Reply) -> str | None:
    found = leaks(reply.text, case.exposed, set(case.operation.used))
    if found:
        return f"shows {found}: {reply.text[:300]}"
    if reply.status >= 500:
        return f"HTTP {reply.status}: {reply.text[:200]}"
    codes = [(e.get("extensions") or {}).get("code") for e in reply.body.get("errors") or []]
    if any(code in BROKEN or code is None for code in codes) and not unexercised(reply.body):
        return f"an error without a code, or INTERNAL: {reply.text[:300]}"
    if case.targeted and not case.filtering and not refused(case, reply.body):
        return f"accepted: {reply.text[:300]}"
    return None


async def ask(http: httpx.AsyncClient, url: str, case: GraphqlCase, token: str) -> Reply:
    operation = case.operation
    answer = await http.post(
        url,
        json={"query": operation.document, "variables": operation.variables},
        headers={"Authorization": f"Bearer {token}", "Accept": "application/json"},
    )
    try:
        body = answer.json()
    except json.JSONDecodeError:
        body = {}
    return Reply(answer.status_code, body, answer.text)
