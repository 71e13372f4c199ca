"""Token attacks on every surface: every gRPC method of every service, every GraphQL query and
mutation over HTTP, and the GraphQL WebSocket's `connection_init`. A forged, expired, misdirected
or revoked token is refused as unauthenticated with a reason, and nothing of the tenant shows."""

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import grpc
import pytest
from vigie.directory.v1.directory_pb2 import IssuePartnerTokenRequest
from vigie.directory.v1.directory_pb2_grpc import DirectoryServiceStub

from tests.security.conftest import Attacked
from tests.security.forged_tokens import forged
from tests.security.graphql_matrix import introspect
from tests.security.graphql_operations import operations, roots
from tests.security.graphql_ws import first_answer, ws_url
from tests.security.grpc_surface import call, reflect
from tests.security.requests import assignments, fill, find_slots

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="package")]
# What anyone may call without a token (logging in, and the public keys).
PUBLIC = frozenset({
    "/vigie.directory.v1.DirectoryService/Login",
    "/vigie.directory.v1.DirectoryService/IssuePartnerToken",
    "/vigie.directory.v1.DirectoryService/GetJwks",
    "graphql:Mutation.login",
})  # fmt: skip
CONCURRENCY = 16
REVOKED = "revoked_partner"
# A revoked partner client gets no new token (test below), and the tokens it already holds are
# refused too: every verifier follows the directory's `partner_client.revoked` events
# (vigie_runtime.revocations). The event reaches each process asynchronously, so the revoked
# case polls until refused, with a deadline.
FORGED_OR_REVOKED = pytest.mark.parametrize("revoked", [False, True],
                                            ids=["forged", "revoked_partner"])  # fmt: skip
REVOCATION_DEADLINE_SECONDS = 20.0


def _attacks(attacked: Attacked, revoked: bool = False) -> dict[str, str | None]:
    """The forged tokens; or, with `revoked`, only the revoked partner client's."""
    world = attacked.world
    signing_key = attacked.platform.directory.signing_key_file
    every = forged(world.tokens["group_admin"], signing_key, world.revoked_partner_token)
    return {k: v for k, v in every.items() if (k == REVOKED) == revoked}


def _answered(value: Any) -> bool:
    """Whether a field's value carries data (a null, a list of nulls or a payload's errors
    carry none)."""
    if isinstance(value, list):
        return any(_answered(v) for v in value)
    if isinstance(value, dict):
        return not value.get("errors")
    return value is not None


async def _problems(run: Callable[[], Awaitable[list[str]]], revoked: bool) -> list[str]:
    """The problems of one run of a matrix; with `revoked`, of the last of the runs repeated
    until none is left or the deadline passes (the revocation travels as an event)."""
    deadline = asyncio.get_running_loop().time() + REVOCATION_DEADLINE_SECONDS
    problems = await run()
    while revoked and problems and asyncio.get_running_loop().time() < deadline:
        await asyncio.sleep(0.2)
        problems = await run()
    return problems


def _secrets(attacked: Attacked) -> list[str]:
    """What an unauthenticated caller must never see of tenant A."""
    a1 = attacked.world.scopes["A1"]
    return [a1.marker, a1.shared, a1.tenant, *attacked.world.texts_of("A2")]


@FORGED_OR_REVOKED
async def test_every_grpc_method_refuses_every_forged_token(
    attacked: Attacked, revoked: bool
) -> None:
    methods = await reflect(attacked.platform.targets)
    own = attacked.world.scopes["A1"].names
    channels = {t: grpc.aio.insecure_channel(t) for t in attacked.platform.targets.values()}
    gate = asyncio.Semaphore(CONCURRENCY)
    secrets = _secrets(attacked)

    async def run(method: Any, attack: str, header: str | None) -> str | None:
        if header is None and method.path in PUBLIC:
            return None
        chosen = next(assignments(find_slots(method.input, method.name, own)))
        metadata = (("authorization", header),) if header is not None else ()
        async with gate:
            answer = await call(channels[method.target], method,
                                fill(method.new_request(), chosen), metadata)  # fmt: skip
        shown = [s for s in secrets if s in answer.text]
        # A genuine but revoked token is refused for that reason, not another.
        wrong_reason = not answer.reason or (revoked and answer.reason != "TOKEN_REVOKED")
        if shown or answer.code is not grpc.StatusCode.UNAUTHENTICATED or wrong_reason:
            return f"{attack} {method.path}: {answer.code.name} {answer.reason} {shown}"
        return None

    cases = [(m, a, h) for m in methods for a, h in _attacks(attacked, revoked).items()]

    async def matrix() -> list[str]:
        return [p for p in await asyncio.gather(*(run(*case) for case in cases)) if p]

    try:
        problems = await _problems(matrix, revoked)
    finally:
        for channel in channels.values():
            await channel.close()
    print(f"\ntoken attack cases run (gRPC): {len(cases)} over {len(methods)} methods")
    assert not problems, "\n".join(problems[:80]) + f"\n({len(problems)} problems)"


@FORGED_OR_REVOKED
async def test_every_graphql_field_refuses_every_forged_token(
    attacked: Attacked, revoked: bool
) -> None:
    front, world = attacked.platform.front, attacked.world
    schema = await introspect(front.http, front.url, world.tokens["group_admin"])
    own = world.scopes["A1"].names
    gate = asyncio.Semaphore(CONCURRENCY)
    secrets = _secrets(attacked)

    async def run(
        key: str, document: str, variables: Any, attack: str, header: str | None
    ) -> str | None:
        headers = {"Accept": "application/json"} | ({"Authorization": header} if header else {})
        async with gate:
            reply = await front.http.post(front.url, headers=headers,
                                          json={"query": document, "variables": variables})  # fmt: skip
        body = reply.json()
        errors = body.get("errors") or []
        statuses = {(e.get("extensions") or {}).get("status") for e in errors}
        shown = [s for s in secrets if s in reply.text]
        data = body.get("data") or {}
        answered = any(_answered(v) for v in data.values())
        # A payload mutation may check its input before the caller: its errors, and no data,
        # are a refusal too.
        in_payload = not errors and any(isinstance(v, dict) and v.get("errors")
                                        for v in data.values())  # fmt: skip
        unauthenticated = statuses == {"UNAUTHENTICATED"} or in_payload or key in PUBLIC
        if shown or answered or not unauthenticated:
            return f"{attack} {key}: HTTP {reply.status_code} {reply.text[:300]}"
        return None

    cases = []
    for root, name, field in roots(schema):
        if root == "Subscription":
            continue
        operation = next(operations(schema, root, name, field, own))
        for attack, header in _attacks(attacked, revoked).items():
            cases.append((operation.key, operation.document, operation.variables, attack, header))

    async def matrix() -> list[str]:
        return [p for p in await asyncio.gather(*(run(*case) for case in cases)) if p]

    problems = await _problems(matrix, revoked)
    print(f"\ntoken attack cases run (GraphQL HTTP): {len(cases)}")
    assert not problems, "\n".join(problems[:80]) + f"\n({len(problems)} problems)"


@FORGED_OR_REVOKED
async def test_the_websocket_closes_4403_on_every_forged_token(
    attacked: Attacked, revoked: bool
) -> None:
    url = ws_url(attacked.platform.front.url)
    attacks = _attacks(attacked, revoked)
    refused: dict[str, tuple[str, int | None]] = {}

    async def matrix() -> list[str]:
        answers = await asyncio.gather(*(
            first_answer(url, {"authorization": header} if header else {})
            for header in attacks.values()
        ))  # fmt: skip
        refused.update({a: (w.kind, w.close_code) for a, w in zip(attacks, answers, strict=True)})
        return [f"{a}: {answer}" for a, answer in refused.items() if answer != ("closed", 4403)]

    problems = await _problems(matrix, revoked)
    print(f"\ntoken attack cases run (GraphQL WebSocket): {len(refused)}")
    assert not problems, refused


async def test_a_revoked_partner_client_gets_no_new_token(attacked: Attacked) -> None:
    client_id, secret = attacked.world.revoked_partner
    channel = grpc.aio.insecure_channel(attacked.platform.targets["directory"])
    try:
        stub = DirectoryServiceStub(channel)
        with pytest.raises(grpc.aio.AioRpcError) as refused:
            await stub.IssuePartnerToken(
                IssuePartnerTokenRequest(client_id=client_id, client_secret=secret)
            )
    finally:
        await channel.close()
    assert refused.value.code() is grpc.StatusCode.UNAUTHENTICATED
    assert "revoked" in (refused.value.details() or "")
