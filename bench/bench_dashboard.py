"""The brand dashboard query on the embedded default, over HTTP at a fixed rate and in-process.

Run: `uv run python bench/bench_dashboard.py [--rate 200] [--seconds 20] [--label before]`.

Starts the platform as `make up` does (`python -m vigie_cli up`: a real nats-server from the
wheel, SQLite, every service and the gateway served by uvicorn), then loads demo-like data
through the services' gRPC APIs with the demo login: a listening query for a demo brand and its
competitor, a week of mentions pushed by a partner agency (IngestMentions) and scored by the
reputation, an X account and scheduled posts. The gateway's per-caller rate limit is raised
for the run (GATEWAY_RATE_LIMIT_*), since one token sends every request.

Then `gateway/src/vigie_gateway/examples/brand_dashboard.graphql` (reputation index, 7-day
sentiment series, share of voice, 20 latest mentions with sentiment and author, next scheduled
posts, open crises) is sent open-loop at `--rate` requests/s for `--seconds` (each request
starts at its planned time whatever the others do; latency counts from the planned time, so a
gateway that falls behind shows it). Last, the same query runs in-process through the schema
(`schema.execute` with the same kind of context, the same services, no HTTP), one at a time.

Prints p50/p95/p99, the achieved rate, the in-process figures and their ratio, with the load
average, and writes `bench/results/dashboard.json` (one entry per `--label`).
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
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

import httpx
from dashboard_seed import DemoData, seed
from vigie_gateway.clients import ServiceClients
from vigie_gateway.config import Settings
from vigie_gateway.context import Context
from vigie_gateway.examples import example
from vigie_gateway.schema import build_schema
from vigie_runtime.settings import PlatformSettings
from vigie_runtime.tokens import TokenVerifier

RESULTS = Path(__file__).parent / "results" / "dashboard.json"
QUERY = example("brand_dashboard")
T = TypeVar("T")
TIMEOUT = 10.0  # seconds a request may take (waiting for a connection included)


def start_platform(home: Path) -> tuple[subprocess.Popen[str], dict[str, Any]]:
    """`vigie up` in `home`, as tests/e2e/test_make_up.py starts it; returns it and its state."""
    env = {
        **os.environ,
        "VIGIE_HOME": str(home),
        "GATEWAY_RATE_LIMIT_PER_SECOND": "100000",
        "GATEWAY_RATE_LIMIT_BURST": "100000",
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
            return process, json.loads((home / "state.json").read_text())
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


async def over_http(url: str, data: DemoData, rate: float, seconds: float) -> dict[str, Any]:
    """Open loop: request i starts at t0 + i / rate; latency from that planned moment."""
    headers = {"Authorization": f"Bearer {data.token}", "Accept": "application/json"}
    limits = httpx.Limits(max_connections=200, max_keepalive_connections=200)
    latencies: list[float] = []
    failures: list[str] = []
    async with httpx.AsyncClient(timeout=TIMEOUT, limits=limits, headers=headers) as client:
        body = {"query": QUERY, "variables": variables(data)}
        check((await client.post(url, json=body)).json())  # warm: parse and validation caches

        async def one(planned: float) -> None:
            await asyncio.sleep(max(0.0, planned - time.perf_counter()))
            try:
                response = await client.post(url, json=body)
                answer = response.json()
                if response.status_code != 200 or answer.get("errors"):
                    failures.append(f"{response.status_code} {str(answer)[:300]}")
            except httpx.HTTPError as error:
                failures.append(f"{type(error).__name__}: {error}")
            # A failure counts with the time it took to fail: dropping it would flatter.
            latencies.append(time.perf_counter() - planned)

        total = int(rate * seconds)
        start = time.perf_counter() + 0.2
        await asyncio.gather(*(one(start + i / rate) for i in range(total)))
        elapsed = time.perf_counter() - start
    return {
        "offered_rate": rate,
        "seconds": seconds,
        "requests": total,
        "failed": len(failures),  # errors, HTTP failures and timeouts (counted in the latencies)
        "first_failures": failures[:3],
        "achieved_rate": round(total / elapsed, 1),
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
    try:
        for i in range(count + 20):
            context = TimedContext(clients=clients, token=data.token, principal=principal)
            context.rpcs = rpcs if i >= 20 else {}
            started = time.perf_counter()
            result = await schema.execute(
                QUERY, variable_values=variables(data), context_value=context
            )
            elapsed = time.perf_counter() - started
            if result.errors:
                raise RuntimeError(f"in-process dashboard failed: {result.errors}")
            if i >= 20:  # the first ones warm the channels and caches
                latencies.append(elapsed)
    finally:
        await clients.close()
    by_rpc = {name: percentiles(times)["p50_ms"] for name, times in sorted(rpcs.items())}
    return {"requests": count, **percentiles(latencies), "rpc_p50_ms": by_rpc}


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


async def run(args: argparse.Namespace, home: Path) -> dict[str, Any]:
    process, state = start_platform(home)
    try:
        loaded = time.perf_counter()
        data = await seed(state["grpc_ports"])
        print(f"seeded in {time.perf_counter() - loaded:.1f}s: {data.summary}", flush=True)
        load_before = os.getloadavg()
        http = await over_http(state["graphql_url"], data, args.rate, args.seconds)
        load_after = os.getloadavg()
        local = await in_process(state, home, data, args.in_process)
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=60)
    return {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "data": data.summary,
        "http": http,
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
