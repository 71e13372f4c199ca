"""Abuse, measured: what each abusive request costs to refuse, and whether another tenant's
latency stays flat while one tenant floods.

Run: `uv run python bench/bench_abuse.py [--samples 200] [--flooders 8]`.

Starts the platform as `make up` does (`vigie up`: nats-server, SQLite, every service and the
gateway under uvicorn) with the gateway's limits at their defaults (depth 12, 30 aliases, 3,000
tokens, cost 20,000, 100 requests/s per caller with a burst of 200, 256 KiB bodies; fair
admission: 8 operations at once, 4 per tenant, 16 waiting per tenant) and the gRPC
servers' (4 MiB messages; per token 100 calls/s for a partner client, 1,000/s for a user).
Tenant A is the demo group (its admin logs in); tenant B is a second group bootstrapped in the
directory, whose admin logs in through the gateway.

Figures (latency as the client sees it, one request in flight per caller):
- refusal cost p50/p99 of: a query too deep, one with too many aliases, one too long (wide), a
  batch of 100 operations, a 1 MiB body, a 5 MiB gRPC message (one request in flight), with
  the status and code each got; and, during the floods, what each answer cost by outcome
  (429 RATE_LIMITED, 429 OVERLOADED, RESOURCE_EXHAUSTED RATE_LIMITED, served);
- tenant B's p50/p99 for a real query (its sources and brands: the listener and the directory)
  alone, then while tenant A floods the gateway from one token (`--flooders` concurrent
  loops), then while A's partner client floods the listener's IngestMentions over gRPC; with
  how many of A's requests were served and refused, and the ratios of B's p50 and p99 during
  each flood to B's alone. Each flood runs in its own OS process (this script again, with
  `--flood`), so the flooding client's CPU is not taken from tenant B's client.

Writes `bench/results/abuse.json` with the load average.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import grpc
import httpx
import jwt
from vigie.listener.v1 import listener_pb2 as listener
from vigie.listener.v1 import listener_pb2_grpc
from vigie_cli.demo import DEMO_EMAIL, DEMO_PASSWORD
from vigie_cli.layout import Layout
from vigie_directory.config import Settings as DirectorySettings
from vigie_directory.testing import ADMIN_PASSWORD, bootstrap_tenant
from vigie_gateway.config import Settings as GatewaySettings
from vigie_runtime.grpc_client import bearer
from vigie_runtime.grpc_errors import error_info
from vigie_runtime.grpc_server import MAX_MESSAGE_BYTES
from vigie_runtime.principal import Principal, PrincipalKind, Role, RoleGrant
from vigie_runtime.settings import PlatformSettings
from vigie_runtime.tokens import TokenIssuer, load_or_create_signing_key

RESULTS = Path(__file__).parent / "results" / "abuse.json"
TENANT_B_QUERY = "{ sources(first: 10) { nodes { id } } brands(first: 10) { nodes { id } } }"
LOGIN = "mutation($e: String!, $p: String!) { login(input: {email: $e, password: $p}) { token } }"
B_EMAIL = "admin@bench-b.test"


# `vigie up` gives the services 120 s to start; a loaded 2-core machine needs more.
UP = "import sys, vigie_cli.up as up; up.START_TIMEOUT_SECONDS = 900; sys.exit(up.up())"


def start_platform(home: Path) -> tuple[subprocess.Popen[str], dict[str, Any]]:
    """`vigie up` in `home` with every limit at its default; returns it and its state."""
    process = subprocess.Popen(
        [sys.executable, "-c", UP],
        env={**os.environ, "VIGIE_HOME": str(home)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert process.stdout is not None
    lines = []
    for line in process.stdout:
        lines.append(line)
        if "Ctrl-C stops everything" in line:
            return process, json.loads((home / "state.json").read_text())
    process.kill()
    raise RuntimeError("vigie up did not start:\n" + "".join(lines))


def percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)

    def at(q: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000, 2)

    return {"p50_ms": at(0.50), "p99_ms": at(0.99), "max_ms": at(1.0), "n": len(ordered)}


class Gateway:
    def __init__(self, url: str, http: httpx.AsyncClient) -> None:
        self.url, self.http = url, http

    async def post(self, token: str, body: Any, **kwargs: Any) -> tuple[int, str]:
        """The status and the first error's code ("" when none)."""
        headers = {"Accept": "application/json", "Authorization": f"Bearer {token}"}
        if isinstance(body, bytes):
            headers["Content-Type"] = "application/json"
            response = await self.http.post(self.url, content=body, headers=headers, **kwargs)
        else:
            response = await self.http.post(self.url, json=body, headers=headers, **kwargs)
        answer = response.json()
        errors = answer.get("errors") or []
        return response.status_code, str(
            errors[0].get("extensions", {}).get("code", "")
        ) if errors else ""

    async def login(self, email: str, password: str) -> str:
        response = await self.http.post(
            self.url,
            json={"query": LOGIN, "variables": {"e": email, "p": password}},
            headers={"Accept": "application/json"},
        )
        return str(response.json()["data"]["login"]["token"])


async def timed(call: Callable[[], Awaitable[tuple[int, str]]], count: int) -> dict[str, Any]:
    """`count` calls one after another: latency percentiles and the outcomes seen."""
    samples, outcomes = [], Counter[str]()
    for _ in range(count):
        started = time.perf_counter()
        status, code = await call()
        samples.append(time.perf_counter() - started)
        outcomes[f"{status} {code}".strip()] += 1
    return {**percentiles(samples), "outcomes": dict(outcomes)}


async def grpc_outcome(call: Awaitable[Any]) -> tuple[int, str]:
    try:
        await call
    except grpc.aio.AioRpcError as error:
        info = error_info(error)
        return error.code().value[0], f"{error.code().name} {info.reason if info else ''}".strip()
    return 0, "OK"


def partner_token(layout: Layout, tenant: str) -> str:
    """A partner client's token of tenant A, signed by the platform's own key (what the
    directory's IssuePartnerToken hands out), allowed to push mentions."""
    key = load_or_create_signing_key(layout.signing_key, create=False)
    issuer = TokenIssuer(key, "vigie-directory", "vigie")
    principal = Principal(
        subject=f"{tenant}/partnerClients/01benchpartnerbenchpartner",
        tenant=tenant,
        kind=PrincipalKind.PARTNER,
        grants=(RoleGrant(Role.PARTNER),),
        scopes=frozenset({"mentions.ingest"}),
    )
    return issuer.issue(principal, timedelta(minutes=30))[0]


async def one_mention(source: str) -> AsyncIterator[listener.IngestMentionsRequest]:
    yield listener.IngestMentionsRequest(source=source, external_id="flood")


async def tenant_b(layout: Layout, state: dict[str, Any], gateway: Gateway) -> str:
    settings = DirectorySettings(
        database_url=state["database_urls"]["directory"],
        signing_key_file=layout.signing_key,
        platform=PlatformSettings(jwks_file=layout.jwks),
    )
    await bootstrap_tenant(settings, "Bench B Group", B_EMAIL)
    return await gateway.login(B_EMAIL, ADMIN_PASSWORD)


async def flood_loops(config: dict[str, Any], loops: int, stop: asyncio.Event) -> dict[str, Any]:
    """`loops` concurrent loops of one flood request until `stop`; what each outcome cost."""
    outcomes: Counter[str] = Counter()
    latencies: dict[str, list[float]] = {}
    async with httpx.AsyncClient(timeout=60, limits=httpx.Limits(max_connections=256)) as http:
        channel = grpc.aio.insecure_channel(config.get("grpc_target", "127.0.0.1:1"))
        stub = listener_pb2_grpc.ListenerServiceStub(channel)
        gateway = Gateway(config.get("graphql_url", ""), http)

        def flood() -> Awaitable[tuple[int, str]]:
            if config["kind"] == "graphql":
                return gateway.post(config["token"], {"query": config["query"]})
            mentions = one_mention(config["source"])
            call = stub.IngestMentions(mentions, metadata=bearer(config["token"]), timeout=30)
            return grpc_outcome(call)

        async def loop() -> None:
            while not stop.is_set():
                started = time.perf_counter()
                try:
                    status, code = await flood()
                    outcome = f"{status} {code}".strip()
                except (httpx.HTTPError, ValueError) as failed:  # counted, not hidden
                    outcome = type(failed).__name__
                outcomes[outcome] += 1
                latencies.setdefault(outcome, []).append(time.perf_counter() - started)

        await asyncio.gather(*(loop() for _ in range(loops)), return_exceptions=True)
        await channel.close()
    costs = {outcome: percentiles(values) for outcome, values in latencies.items()}
    return {"outcomes": dict(outcomes), "latency_by_outcome": costs}


async def flood_process(config: dict[str, Any], loops: int) -> None:
    """The flooder's own process: floods until its stdin closes, then prints what it got."""
    stop = asyncio.Event()

    async def until_stdin_closes() -> None:
        await asyncio.to_thread(sys.stdin.read)
        stop.set()

    watcher = asyncio.create_task(until_stdin_closes())
    print("flooding", flush=True)
    figures = await flood_loops(config, loops, stop)
    await watcher
    print(json.dumps(figures), flush=True)


async def flooding(config: dict[str, Any], loops: int, measure: Awaitable[Any]) -> tuple[Any, Any]:
    """Runs the flood in another OS process (so its client's CPU is not counted against
    tenant B's client) while `measure` runs; returns both results."""
    flooder = await asyncio.create_subprocess_exec(
        sys.executable,
        __file__,
        "--flood",
        json.dumps(config),
        "--flooders",
        str(loops),
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
    )
    assert flooder.stdin is not None and flooder.stdout is not None
    try:
        await flooder.stdout.readline()  # "flooding"
        await asyncio.sleep(2.0)  # the flood is on before the first measured request
        measured = await measure
    finally:
        flooder.stdin.close()
    output = await flooder.stdout.read()
    await flooder.wait()
    return measured, json.loads(output.decode().strip().splitlines()[-1])


async def run(samples: int, flooders: int, home: Path) -> dict[str, Any]:
    process, state = await asyncio.to_thread(start_platform, home)
    layout = Layout(home)
    limits = httpx.Limits(max_connections=64, max_keepalive_connections=64)
    try:
        async with httpx.AsyncClient(timeout=30, limits=limits) as http:
            gateway = Gateway(state["graphql_url"], http)
            token_a = await gateway.login(DEMO_EMAIL, DEMO_PASSWORD)
            token_b = await tenant_b(layout, state, gateway)
            # The tenant of the demo admin's token (verified by the gateway that issued it).
            tenant_a = str(jwt.decode(token_a, options={"verify_signature": False})["tenant"])
            channel = grpc.aio.insecure_channel(
                f"127.0.0.1:{state['grpc_ports']['listener']}",
                options=[("grpc.max_send_message_length", 8 * MAX_MESSAGE_BYTES)],
            )
            stub = listener_pb2_grpc.ListenerServiceStub(channel)
            partner = bearer(partner_token(layout, tenant_a))
            source = f"{tenant_a}/sources/01benchsourcebenchsourcebe"

            def b_query() -> Awaitable[tuple[int, str]]:
                return gateway.post(token_b, {"query": TENANT_B_QUERY})

            assert (await b_query()) == (200, ""), await b_query()
            await timed(b_query, 20)  # warm the caches and connections
            figures: dict[str, Any] = {"tenant_b_alone": await timed(b_query, samples)}
            print(f"tenant B alone: {figures['tenant_b_alone']}", flush=True)

            a_flood = {"kind": "graphql", "graphql_url": gateway.url, "token": token_a}
            a_flood["query"] = TENANT_B_QUERY
            during, flood = await flooding(a_flood, flooders, timed(b_query, samples))
            figures["tenant_b_during_tenant_a_graphql_flood"] = {**during, "flood": flood}
            print(f"during the GraphQL flood: {during} {flood}", flush=True)

            partner_flood = {
                "kind": "grpc",
                "grpc_target": f"127.0.0.1:{state['grpc_ports']['listener']}",
                "token": partner_token(layout, tenant_a),
                "source": source,
            }
            during, flood = await flooding(partner_flood, flooders, timed(b_query, samples))
            figures["tenant_b_during_tenant_a_partner_grpc_flood"] = {**during, "flood": flood}

            figures["refusals"] = await refusals(gateway, token_a, stub, partner, source, samples)
            await channel.close()
    finally:
        process.send_signal(signal.SIGINT)
        try:
            await asyncio.to_thread(process.wait, 60)
        except Exception:
            process.kill()
    return figures


async def refusals(
    gateway: Gateway, token: str, stub: Any, partner: Any, source: str, samples: int
) -> dict[str, Any]:
    deep = "{ " + "brands { nodes { " * 7 + "id" + " } }" * 7 + " }"  # depth 15 > 12
    aliased = "{ " + " ".join(f"a{i}: __typename" for i in range(31)) + " }"
    wide = "{ " + " ".join("__typename" for _ in range(3001)) + " }"
    batch = [{"query": "{ __typename }"}] * 100
    body = json.dumps({"query": "{ __typename }", "variables": {"x": "y" * 1_048_576}}).encode()
    huge = listener.GetSourceRequest(name="x" * (5 * 1024 * 1024))

    count = max(20, samples // 4)
    figures: dict[str, Any] = {}
    cases: dict[str, Callable[[], Awaitable[tuple[int, str]]]] = {
        "graphql_too_deep": lambda: gateway.post(token, {"query": deep}),
        "graphql_too_many_aliases": lambda: gateway.post(token, {"query": aliased}),
        "graphql_too_long_wide": lambda: gateway.post(token, {"query": wide}),
        "graphql_batch_of_100": lambda: gateway.post(token, batch),
        "graphql_body_1_mib": lambda: gateway.post(token, body),
        "grpc_message_5_mib": lambda: grpc_outcome(
            stub.GetSource(huge, metadata=partner, timeout=30)
        ),
    }
    for name, call in cases.items():
        await asyncio.sleep(2.5)  # the caller's bucket refills: each case is refused by its limit
        figures[name] = await timed(call, count)
        print(f"{name}: {figures[name]}", flush=True)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--flooders", type=int, default=8)
    parser.add_argument("--flood", help="internal: be the flooding process of this JSON config")
    args = parser.parse_args()
    if args.flood:
        asyncio.run(flood_process(json.loads(args.flood), args.flooders))
        return
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="vigie-abuse-") as folder:
        figures = asyncio.run(run(args.samples, args.flooders, Path(folder)))
    gateway = GatewaySettings()
    result = {
        "command": f"uv run python bench/bench_abuse.py --samples {args.samples} "
        f"--flooders {args.flooders}",
        "load_average": [round(x, 1) for x in (*load_before, *os.getloadavg())],
        "gateway_admission": {
            "max_concurrent_operations": gateway.max_concurrent_operations,
            "max_concurrent_operations_per_tenant": gateway.max_concurrent_operations_per_tenant,
            "max_queued_per_tenant": gateway.max_queued_per_tenant,
        },
        **figures,
    }
    alone = figures["tenant_b_alone"]
    for key in (
        "tenant_b_during_tenant_a_graphql_flood",
        "tenant_b_during_tenant_a_partner_grpc_flood",
    ):
        during = figures[key]
        for figure in ("p50", "p99"):
            ratio = during[f"{figure}_ms"] / alone[f"{figure}_ms"]
            result[f"{key}_{figure}_ratio"] = round(ratio, 2)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
