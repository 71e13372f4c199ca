"""The brand dashboard query on the embedded default, over HTTP at a fixed rate and in-process.

Run: `uv run python bench/bench_dashboard.py [--rate 200] [--seconds 20] [--label before]
[--no-cache] [--stale-seconds 1] [--mention-rate 5] [--load-processes 1] [--connections 64]`.

Starts the platform as `make up` does (`python -m vigie_cli up`: a real nats-server from the
wheel, SQLite, every service and the gateway served by uvicorn), then waits until the week of
demo mentions `vigie up` seeds is scored (dashboard_seed.py). The gateway's per-caller rate limit
is raised for the run (GATEWAY_RATE_LIMIT_*), since one token sends every request, and that
tenant may take every slot of the fair admission and queue (GATEWAY_MAX_*_PER_TENANT), as a
tenant alone would; its response cache is on unless `--no-cache`.

Then `gateway/src/vigie_gateway/examples/brand_dashboard.graphql` (reputation index, 7-day
sentiment series, share of voice, 20 latest mentions with sentiment and author, next scheduled
posts, open crises) is sent open-loop at `--rate` requests/s for `--seconds` by
`bench/load_generator.py` in `--load-processes` processes of their own (raw asyncio HTTP/1.1 on
`--connections` keep-alive connections each), so the client is not the bottleneck: each request
starts at its planned time whatever the others do and its latency counts from that time. Every
request carries the same variables, as a front end that rounds `$now` to the minute would send.
With `--mention-rate`, a partner pushes new mentions of the brand at that rate meanwhile (each
one captured and scored: the facts that make the gateway forget its answers), and the cache's
hits, stale answers (and how far behind the facts they were), misses and invalidations are read
from the gateway's /metrics. Last, the same query runs
in-process through the schema without the cache (`schema.execute` with the same kind of
context, the same services, no HTTP), one at a time: what executing the query costs.

Prints p50/p95/p99, the achieved rate, the cache's hit rate, the in-process figures and the
ratio, with the load average, and writes `bench/results/dashboard.json` (one entry per `--label`).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

import httpx
from dashboard_seed import DemoData, mention_stream, seed
from vigie_gateway.clients import ServiceClients
from vigie_gateway.config import Settings
from vigie_gateway.context import Context
from vigie_gateway.examples import example
from vigie_gateway.response_cache import ResponseCache
from vigie_gateway.schema import build_schema
from vigie_runtime.settings import PlatformSettings
from vigie_runtime.tokens import TokenVerifier

RESULTS = Path(__file__).parent / "results" / "dashboard.json"
LOAD_GENERATOR = Path(__file__).parent / "load_generator.py"
QUERY = example("brand_dashboard")
T = TypeVar("T")
TIMEOUT = 10.0  # seconds a request may take (waiting for a connection included)


def start_platform(
    home: Path, cache: bool, stale_seconds: float
) -> tuple[subprocess.Popen[str], dict[str, Any]]:
    """`vigie up` in `home`, as tests/e2e/test_make_up.py starts it; returns it and its state
    (with the gateway's /metrics URL, from the line `vigie up` prints)."""
    env = {
        **os.environ,
        "VIGIE_HOME": str(home),
        "GATEWAY_RATE_LIMIT_PER_SECOND": "100000",
        "GATEWAY_RATE_LIMIT_BURST": "100000",
        "GATEWAY_RESPONSE_CACHE_ENABLED": "true" if cache else "false",
        "GATEWAY_RESPONSE_CACHE_STALE_SECONDS": str(stale_seconds),
        # One tenant alone: it may use every slot of the gateway's fair admission and queue
        # rather than be refused (the share per tenant is for several tenants at once).
        "GATEWAY_MAX_CONCURRENT_OPERATIONS_PER_TENANT": os.environ.get(
            "GATEWAY_MAX_CONCURRENT_OPERATIONS", "8"
        ),
        "GATEWAY_MAX_QUEUED_PER_TENANT": "100000",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "vigie_cli", "up"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert process.stdout is not None
    deadline = time.monotonic() + 240
    lines = []
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        lines.append(line)
        if "Ctrl-C stops everything" in line:
            state = json.loads((home / "state.json").read_text())
            found = re.search(r"gateway (127\.0\.0\.1:\d+)/metrics", "".join(lines))
            state["gateway_metrics"] = f"http://{found.group(1)}/metrics" if found else None
            return process, state
        if not line and process.poll() is not None:
            break
    process.kill()
    raise RuntimeError("vigie up did not start:\n" + "".join(lines))


def variables(data: DemoData) -> dict[str, str]:
    now = datetime.now(UTC)
    return {
        "brand": data.brand,
        "weekStart": (now - timedelta(days=7)).isoformat(),
        "now": now.isoformat(),
    }


def percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)

    def at(q: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000, 2)

    return {"p50_ms": at(0.50), "p95_ms": at(0.95), "p99_ms": at(0.99), "max_ms": at(1.0)}


def check(body: dict[str, Any]) -> None:
    if body.get("errors") or not body.get("data"):
        raise RuntimeError(f"the dashboard failed: {json.dumps(body)[:2000]}")


async def over_http(
    url: str, data: DemoData, args: argparse.Namespace, workdir: Path
) -> dict[str, Any]:
    """Open loop from `--load-processes` load_generator.py processes sharing one schedule."""
    body = json.dumps({"query": QUERY, "variables": variables(data)}).encode()
    async with httpx.AsyncClient(timeout=TIMEOUT) as client:  # warm: parse, validation caches
        headers = {"Authorization": f"Bearer {data.token}", "Content-Type": "application/json"}
        check((await client.post(url, content=body, headers=headers)).json())
    body_file = workdir / "dashboard-request.json"
    body_file.write_bytes(body)
    start_at = time.time() + 2.0  # the processes start and open their connections meanwhile
    common = [
        f"--url={url}", f"--body-file={body_file}", f"--token={data.token}",
        f"--rate={args.rate}", f"--seconds={args.seconds}", f"--start-at={start_at}",
        f"--processes={args.load_processes}", f"--connections={args.connections}",
    ]  # fmt: skip
    generators = [
        await asyncio.create_subprocess_exec(
            sys.executable,
            str(LOAD_GENERATOR),
            *common,
            f"--index={k}",
            stdout=asyncio.subprocess.PIPE,
        )
        for k in range(args.load_processes)
    ]
    outputs = [json.loads((await g.communicate())[0]) for g in generators]
    latencies = [x for out in outputs for x in out["latencies"]]
    failed = sum(out["failed"] for out in outputs)
    elapsed = max(out["last_done"] for out in outputs) - start_at
    return {
        "offered_rate": args.rate,
        "seconds": args.seconds,
        "requests": len(latencies),
        "failed": failed,  # errors, HTTP failures and timeouts (counted in the latencies)
        "first_failures": [f for out in outputs for f in out["failures"]][:3],
        "achieved_rate": round((len(latencies) - failed) / elapsed, 1),
        "load_processes": args.load_processes,
        "connections_per_process": args.connections,
        **percentiles(latencies),
    }


async def in_process(state: dict[str, Any], home: Path, data: DemoData, count: int) -> Any:
    """The same query through the schema, with the gateway's kind of context, no HTTP."""
    ports = state["grpc_ports"]
    targets = {f"{name}_target": f"127.0.0.1:{port}" for name, port in ports.items()}
    settings = Settings.model_validate(
        {**targets, "platform": PlatformSettings(jwks_file=home / "keys" / "jwks.json")}
    )
    platform = settings.platform
    verifier = TokenVerifier.from_file(
        platform.jwks_file, platform.token_issuer, platform.token_audience
    )
    schema = build_schema(settings)
    clients = ServiceClients.connect(settings)
    principal = verifier.verify(data.token)
    latencies: list[float] = []
    rpcs: dict[str, list[float]] = {}
    failures: list[str] = []
    try:
        for i in range(count + 20):
            context = TimedContext(clients=clients, token=data.token, principal=principal)
            context.rpcs = rpcs if i >= 20 else {}
            started = time.perf_counter()
            result = await schema.execute(
                QUERY, variable_values=variables(data), context_value=context
            )
            elapsed = time.perf_counter() - started
            if result.errors:  # counted, with its time, as over HTTP
                failures.append(str(result.errors)[:300])
            if i >= 20:  # the first ones warm the channels and caches
                latencies.append(elapsed)
        hits = await cached_answers(settings, clients, data, principal, count)
    finally:
        await clients.close()
    by_rpc = {name: percentiles(times)["p50_ms"] for name, times in sorted(rpcs.items())}
    return {
        "requests": count,
        "failed": len(failures),
        "first_failures": failures[:3],
        **percentiles(latencies),
        "rpc_p50_ms": by_rpc,
        "cache_hit": hits,
    }


async def cached_answers(
    settings: Settings, clients: ServiceClients, data: DemoData, principal: Any, count: int
) -> dict[str, float]:
    """The schema's own cost of an answer served from the response cache (kept by the first
    request; no NATS here, so nothing forgets it): what is left of a hit without HTTP."""
    cache = ResponseCache(max_age_seconds=300, capacity=10)
    cache.live = True
    schema = build_schema(settings, cache)
    fixed = variables(data)
    latencies: list[float] = []
    kept = False  # the first answer without errors executes, and is kept
    for _ in range(count + 5):
        context = Context(clients=clients, token=data.token, principal=principal)
        started = time.perf_counter()
        result = await schema.execute(QUERY, variable_values=fixed, context_value=context)
        if kept:
            latencies.append(time.perf_counter() - started)
        kept = kept or not result.errors
        if len(latencies) == count:
            break
    if not latencies:
        return {}
    return percentiles(latencies)


class TimedContext(Context):
    """The gateway's context, timing each RPC (the in-process figures say where time goes)."""

    rpcs: dict[str, list[float]]

    async def call(self, rpc: Callable[..., Awaitable[T]], request: Any) -> T:
        started = time.perf_counter()
        try:
            return await super().call(rpc, request)
        finally:
            name = str(getattr(rpc, "_method", b"?").decode()).rsplit("/", 1)[-1]
            self.rpcs.setdefault(name, []).append(time.perf_counter() - started)


def save(label: str, entry: dict[str, Any]) -> None:
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    results[label] = entry
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")


STALENESS = "vigie_graphql_response_cache_staleness_seconds"


async def cache_counts(metrics_url: str | None) -> dict[str, float]:
    """The gateway's vigie_graphql_response_cache_total by outcome, and its staleness histogram
    (`le:<bound>` buckets, `sum`, `count`) of the answers served stale (empty without metrics)."""
    if not metrics_url:
        return {}
    async with httpx.AsyncClient(timeout=TIMEOUT) as client:
        text = (await client.get(metrics_url)).text
    pattern = r'^vigie_graphql_response_cache_total\{outcome="(\w+)"\} ([0-9.e+]+)$'
    found = {m[1]: float(m[2]) for m in re.finditer(pattern, text, re.MULTILINE)}
    buckets = rf'^{STALENESS}_bucket\{{le="([^"]+)"\}} ([0-9.e+]+)$'
    found |= {f"le:{m[1]}": float(m[2]) for m in re.finditer(buckets, text, re.MULTILINE)}
    for part in ("sum", "count"):
        value = re.search(rf"^{STALENESS}_{part} ([0-9.e+]+)$", text, re.MULTILINE)
        if value:
            found[part] = float(value[1])
    return found


def cache_figures(before: dict[str, float], after: dict[str, float]) -> dict[str, Any]:
    outcomes = ("hit", "stale", "shared", "miss", "invalidated", "refreshed")
    moved = {k: after.get(k, 0.0) - before.get(k, 0.0) for k in outcomes}
    asked = moved["hit"] + moved["stale"] + moved["shared"] + moved["miss"]
    # Served without executing the query: kept answers (current or, within the window, stale)
    # and concurrent misses' shared ones.
    served = moved["hit"] + moved["stale"] + moved["shared"]
    return {
        **moved,
        "hit_rate": round(served / asked, 4) if asked else None,
        "stale_answers": staleness(before, after),
    }


def staleness(before: dict[str, float], after: dict[str, float]) -> dict[str, Any]:
    """How far behind the facts the stale answers were: mean, and the histogram bucket that
    holds the median and the 99th percentile (an upper bound)."""
    count = after.get("count", 0.0) - before.get("count", 0.0)
    if count <= 0:
        return {"count": 0}
    bounds = sorted(
        (float(k[3:]), after[k] - before.get(k, 0.0)) for k in after if k.startswith("le:")
    )

    def at_most(share: float) -> float | None:
        return next((bound for bound, seen in bounds if seen >= share * count), None)

    mean = (after.get("sum", 0.0) - before.get("sum", 0.0)) / count
    return {
        "count": int(count),
        "mean_ms": round(mean * 1000, 1),
        "p50_at_most_ms": (b := at_most(0.5)) and round(b * 1000),
        "p99_at_most_ms": (b := at_most(0.99)) and round(b * 1000),
    }


async def run(args: argparse.Namespace, home: Path) -> dict[str, Any]:
    process, state = start_platform(home, args.cache, args.stale_seconds)
    try:
        loaded = time.perf_counter()
        data = await seed(state["grpc_ports"])
        print(f"seeded in {time.perf_counter() - loaded:.1f}s: {data.summary}", flush=True)
        counts_before = await cache_counts(state["gateway_metrics"])
        load_before = os.getloadavg()
        stream = asyncio.create_task(
            mention_stream(state["grpc_ports"], data, args.mention_rate, args.seconds + 2)
        )
        http = await over_http(state["graphql_url"], data, args, home)
        streamed = await stream
        load_after = os.getloadavg()
        cache = cache_figures(counts_before, await cache_counts(state["gateway_metrics"]))
        local = await in_process(state, home, data, args.in_process)
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=60)
    return {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "data": data.summary,
        "response_cache": args.cache,
        "stale_seconds": args.stale_seconds if args.cache else None,
        "mentions_streamed_during_http": streamed,
        "mention_rate": args.mention_rate,
        "http": http,
        "cache_during_http": cache,
        "in_process": local,
        "ratio_p50_http_to_in_process": round(http["p50_ms"] / local["p50_ms"], 2),
        "ratio_p99_http_to_in_process": round(http["p99_ms"] / local["p99_ms"], 2),
        "goal_p99_under_50_ms": http["p99_ms"] < 50,
        "load_average_before_after": [round(load_before[0], 2), round(load_after[0], 2)],
        "cpus": os.cpu_count(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=200.0)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--in-process", type=int, default=500, help="in-process requests")
    parser.add_argument("--label", default="latest")
    parser.add_argument("--load-processes", type=int, default=1, help="load generator processes")
    parser.add_argument("--connections", type=int, default=64, help="per load generator process")
    parser.add_argument(
        "--cache",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="gateway response cache",
    )
    parser.add_argument(
        "--stale-seconds",
        type=float,
        default=1.0,
        help="GATEWAY_RESPONSE_CACHE_STALE_SECONDS: how far behind the facts an answer may be "
        "served while it is refreshed (0: recompute after every fact)",
    )
    parser.add_argument(
        "--mention-rate", type=float, default=0.0, help="new mentions/s pushed during the HTTP run"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="vigie-bench-dashboard-") as home:
        try:
            entry = asyncio.run(run(args, Path(home)))
        finally:
            gateway_log = Path(home) / "logs" / "gateway.log"
            if gateway_log.exists():
                print("gateway log (end):\n" + gateway_log.read_text()[-3000:])
    print(json.dumps(entry, indent=2))
    save(args.label, entry)


if __name__ == "__main__":
    main()
