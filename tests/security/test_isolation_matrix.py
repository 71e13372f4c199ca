"""Tenant isolation, generated from the running platform: every gRPC method (server reflection)
and every GraphQL query, mutation and subscription (introspection over HTTP) is called by A's
group admin against tenant B, and by A1's manager, community manager, analyst and partner
against tenant B and subsidiary A2, with the target's resource names wherever a name goes.
Nothing of the target may show; reads by name and changes must be refused; lists hold only what
the caller may see. An operation the generator cannot call must be exempted with a reason."""

import asyncio
from collections import Counter

import grpc
import pytest
from vigie_runtime.grpc_client import bearer

from tests.security.attacks import leaks
from tests.security.conftest import Attacked
from tests.security.exemptions import EXEMPT, check_exemptions
from tests.security.graphql_matrix import GraphqlCase, ask, introspect, refused, unexercised
from tests.security.graphql_matrix import cases as graphql_cases
from tests.security.graphql_matrix import judge as graphql_judge
from tests.security.graphql_operations import roots, selection_of
from tests.security.graphql_ws import collect, first_answer, ws_url
from tests.security.grpc_matrix import GrpcCase, cases, judge
from tests.security.grpc_surface import call, reflect
from tests.security.world import Seeder
from tests.security.world_services import submitted_post

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="package")]
CONCURRENCY = 16


async def test_no_grpc_method_crosses_a_tenant_or_subsidiary(attacked: Attacked) -> None:
    world, platform = attacked.world, attacked.platform
    methods = await reflect(platform.targets)
    all_cases = list(cases([m for m in methods if f"grpc:{m.path}" not in EXEMPT], world))
    covered = {f"grpc:{c.method.path}" for c in all_cases}
    check_exemptions({f"grpc:{m.path}" for m in methods}, covered)

    channels = {t: grpc.aio.insecure_channel(t) for t in platform.targets.values()}
    gate = asyncio.Semaphore(CONCURRENCY)
    outcomes: Counter[str] = Counter()

    async def run(case: GrpcCase) -> str | None:
        async with gate:
            metadata = bearer(world.tokens[case.principal])
            answer = await call(channels[case.method.target], case.method, case.request, metadata)
        outcomes[answer.code.name] += 1
        problem = judge(case, answer)
        return f"{case.label()}: {problem}" if problem else None

    try:
        problems = [p for p in await asyncio.gather(*map(run, all_cases)) if p]
    finally:
        for channel in channels.values():
            await channel.close()
    print(f"\nisolation cases run (gRPC): {len(all_cases)} over {len(covered)} methods; "
          f"answers {dict(outcomes)}")  # fmt: skip
    for p in problems:
        print("PROBLEM", p[:400])
    assert not problems, "\n".join(problems[:60]) + f"\n({len(problems)} problems)"


async def test_no_graphql_query_or_mutation_crosses_a_tenant_or_subsidiary(
    attacked: Attacked,
) -> None:
    world, front = attacked.world, attacked.platform.front
    schema = await introspect(front.http, front.url, world.tokens["group_admin"])
    http_roots = [(r, n, f) for r, n, f in roots(schema) if r != "Subscription"]
    all_cases = [c for c in graphql_cases(schema, world) if c.operation.root != "Subscription"]
    gate = asyncio.Semaphore(CONCURRENCY)
    outcomes: Counter[str] = Counter()
    exercised: set[str] = set()

    async def run(case: GraphqlCase) -> str | None:
        async with gate:
            reply = await ask(front.http, front.url, case, world.tokens[case.principal])
        if unexercised(reply.body):
            outcomes["not run"] += 1
            return None
        exercised.add(case.operation.key)
        outcomes["refused" if refused(case, reply.body) else "answered"] += 1
        problem = graphql_judge(case, reply)
        return f"{case.label()}: {problem}" if problem else None

    problems = [p for p in await asyncio.gather(*map(run, all_cases)) if p]
    check_exemptions({f"graphql:{r}.{n}" for r, n, _ in http_roots}, exercised)
    print(f"\nisolation cases run (GraphQL HTTP): {len(all_cases)} over {len(exercised)} fields; "
          f"answers {dict(outcomes)}")  # fmt: skip
    for p in problems:
        print("PROBLEM", p[:400])
    assert not problems, "\n".join(problems[:60]) + f"\n({len(problems)} problems)"


TARGETED_WAIT = 20.0


async def test_no_subscription_crosses_a_tenant_or_subsidiary(attacked: Attacked) -> None:
    world, front = attacked.world, attacked.platform.front
    schema = await introspect(front.http, front.url, world.tokens["group_admin"])
    subscriptions = [c for c in graphql_cases(schema, world) if c.operation.root == "Subscription"]
    url = ws_url(front.url)
    exercised: set[str] = set()

    # As many sockets at once as the other matrices have calls: all of them at once left the
    # gateway's refusals later than the 1.5 s a case waits for its first answer.
    gate = asyncio.Semaphore(CONCURRENCY)

    async def run(case: GraphqlCase) -> str | None:
        token = world.tokens[case.principal]
        # A refusal may need a read of the resource first (crisisRoomChanged reads the crisis
        # with the caller's token): on a loaded machine it can take seconds, and a targeted
        # case that stays silent fails anyway, so only those wait long; the others' silence
        # (subscribed to their own resource) is the expected answer.
        wait = TARGETED_WAIT if case.targeted else 1.5
        async with gate:
            answer = await first_answer(url, {"authorization": f"Bearer {token}"},
                                        case.operation.document, case.operation.variables,
                                        wait)  # fmt: skip
        exercised.add(case.operation.key)
        found = leaks(answer.text, case.exposed, set(case.operation.used))
        if found:
            return f"{case.label()}: shows {found}: {answer.text[:300]}"
        if case.targeted and not answer.refused:
            return f"{case.label()}: subscribed ({answer.kind}) to another's resource"
        return None

    problems = [p for p in await asyncio.gather(*map(run, subscriptions)) if p]
    check_exemptions({f"graphql:{r}.{n}" for r, n, _ in roots(schema) if r == "Subscription"},
                     exercised)  # fmt: skip
    print(f"\nisolation cases run (GraphQL subscriptions): {len(subscriptions)}")
    assert not problems, "\n".join(problems)


async def test_live_events_of_another_tenant_or_subsidiary_never_reach_a_subscriber(
    attacked: Attacked,
) -> None:
    """A1's manager subscribed to every post status change it may see: B's and A2's posts,
    submitted meanwhile, never reach it; A1's own (submitted last) does, so the silence means
    something."""
    world, platform = attacked.world, attacked.platform
    schema = await introspect(platform.front.http, platform.front.url, world.tokens["smm"])
    assert schema.subscription_type is not None
    field = schema.subscription_type.fields["postStatusChanged"]
    document = f"subscription {{ postStatusChanged{selection_of(field.type, 0)} }}"
    channels = {n: grpc.aio.insecure_channel(t) for n, t in platform.targets.items()}
    seed = Seeder(platform, channels)
    others: list[str] = []
    own: list[str] = []

    async def submit_posts() -> None:
        others.append(
            await submitted_post(seed, world.scopes["B"], bearer(world.tokens["b_admin"]))
        )
        admin = bearer(world.tokens["group_admin"])
        others.append(await submitted_post(seed, world.scopes["A2"], admin))
        own.append(await submitted_post(seed, world.scopes["A1"], bearer(world.tokens["cm"])))

    try:
        received = await collect(ws_url(platform.front.url),
                                 {"authorization": f"Bearer {world.tokens['smm']}"}, document,
                                 submit_posts, lambda text: bool(own) and own[0] in text)  # fmt: skip
    finally:
        for channel in channels.values():
            await channel.close()
    text = "\n".join(received)
    assert own and own[0] in text, f"A1's own event never came: {received}"
    hidden = [*world.texts_of("A2", "B"), *others]
    assert not [h for h in hidden if h in text], text
