"""Horizontal scale of the listener and reputation workers on the embedded default.

Run: `uv run python bench/bench_scale.py [--replicas 1,2,3] [--mentions 4000] [--backend sqlite]
[--mode drain]` (`--backend postgres` or `both`: PostgreSQL at `VIGIE_BENCH_POSTGRES_URL`, default
`postgresql+asyncpg://postgres@127.0.0.1:5432/postgres`, in databases made for the run;
`--mode end-to-end` or `both` for the other figure).

Two modes, because the claim is about the workers and capture has its own limit (on SQLite the
listener's single writer):
- `drain` (the workers alone): the apis start without workers and capture every mention first
  (rows and `mention.captured` wait in the listener's outbox); then the replicas' listener
  workers (relay) and reputation workers start, and the figure is the mentions scored after the
  last worker was ready, per second until the last `mention.scored` (the replicas that start
  first drain some alone: that share is left out, and reported);
- `end-to-end`: every process runs while the partner pushes, as in production.

For each replica count and mode, `bench/scale_platform.py` starts that many OS processes each of the
listener's api, the listener's worker (outbox relay) and the reputation's worker (the mention
consumer, durable `reputation-mentions`, shared by every replica) on a real nats-server. The
partner pushes `--mentions` mentions (every text distinct, so the model scores each) through
`IngestMentions`, spread over the listener apis, `--in-flight` calls of `--batch` at a time.

Figures per replica count:
- throughput: mentions from the first push to the last `mention.scored` received, per second;
  and the capture rate alone (the pushes' own duration);
- capture-to-score latency: from the return of the push call that captured a mention (its row
  and `mention.captured` committed) to its `mention.scored` received (p50, p99);
- CPU seconds of each group of processes, and the load average (the machine is shared).

Then exactly once: the listener stored each mention once, the reputation scored each once
(sentiment rows), counted each once in the measures (whole-brand minute buckets) and in the
crisis watches, recorded each event once in its inbox, and `mention.scored` is stored once per
mention in the JetStream stream. Prints a table and writes `bench/results/scale.json`.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import shutil
import tempfile
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import nats
from google.protobuf.timestamp_pb2 import Timestamp
from nats.aio.client import Client
from nats.aio.msg import Msg
from scale_platform import ScalePlatform
from sqlalchemy import func, select
from vigie.listener.v1 import events_pb2 as listener_events
from vigie.listener.v1 import listener_pb2 as rpc
from vigie.listener.v1 import listener_pb2_grpc
from vigie.listener.v1 import resources_pb2 as pb
from vigie.reputation.v1 import events_pb2
from vigie_listener.adapters.orm import MentionRow
from vigie_reputation.adapters.orm import (
    RUNTIME_TABLES,
    CrisisWatchRow,
    MeasureBucketRow,
    MentionSentimentRow,
)
from vigie_reputation.entrypoints.nats.mentions import MENTIONS_DURABLE
from vigie_runtime.database import create_engine
from vigie_runtime.grpc_client import bearer, open_channel

RESULTS = Path(__file__).parent / "results" / "scale.json"
SCORED = "vigie.reputation.*.mention.scored.v1"
CAPTURED = "vigie.listener.*.mention.captured.v1"
TEXTS = ["love this brand, great service", "ok, ordered again", "meh, it is fine", "awful, never"]
DRAIN_SECONDS = 900.0
END_TO_END, DRAIN = "end-to-end", "drain"


class Clock:
    """When each mention was captured (its push returned) and scored (its event received), by
    the partner's external id (`mention.captured` tells which listener mention is which)."""

    def __init__(self) -> None:
        self.captured: dict[str, float] = {}
        self.external: dict[str, str] = {}  # listener mention name -> external id
        self.scored_at: dict[str, float] = {}  # by mention name
        self.scored_events = 0

    async def on_captured(self, message: Msg) -> None:
        mention = listener_events.MentionCaptured.FromString(message.data).mention
        self.external[mention.name] = mention.external_id

    async def on_scored(self, message: Msg) -> None:
        now = time.perf_counter()
        self.scored_events += 1
        scored = events_pb2.MentionScored.FromString(message.data)
        self.scored_at.setdefault(scored.sentiment.mention, now)

    @property
    def scored(self) -> dict[str, float]:
        return {self.external[n]: t for n, t in self.scored_at.items() if n in self.external}


def request(platform: ScalePlatform, number: int, at: Timestamp) -> rpc.IngestMentionsRequest:
    return rpc.IngestMentionsRequest(
        source=platform.source,
        external_id=f"m{number:07d}",
        mention=pb.Mention(
            brand=platform.brand(number),
            text=f"{TEXTS[number % len(TEXTS)]} #{number}",
            language="en",
            publish_time=at,
            author=pb.MentionAuthor(handle="@fan.bsky.social", followers_count=80),
        ),
    )


async def push(
    platform: ScalePlatform, clock: Clock, mentions: int, batch: int, in_flight: int
) -> list[str]:
    """Pushes every mention once, batches spread over the apis; returns the mention names."""
    token = bearer(platform.partner_token())
    stamp = Timestamp()
    stamp.FromDatetime(datetime.now(UTC))  # one bucket for all: the watches count them all
    async with contextlib.AsyncExitStack() as stack:
        channels = [
            await stack.enter_async_context(open_channel(f"127.0.0.1:{api.port}"))
            for api in platform.apis()
        ]
        stubs = [listener_pb2_grpc.ListenerServiceStub(channel) for channel in channels]
        await _push_batches(platform, clock, stubs, token, stamp, mentions, batch, in_flight)
    return sorted(clock.captured)


async def _push_batches(
    platform: ScalePlatform,
    clock: Clock,
    stubs: list[listener_pb2_grpc.ListenerServiceStub],
    token: tuple[tuple[str, str], ...],
    stamp: Timestamp,
    mentions: int,
    batch: int,
    in_flight: int,
) -> None:
    batches = asyncio.Queue[list[int]]()
    for start in range(0, mentions, batch):
        batches.put_nowait(list(range(start, min(start + batch, mentions))))

    async def caller(number: int) -> None:
        stub = stubs[number % len(stubs)]
        while not batches.empty():
            numbers = batches.get_nowait()

            async def stream(ns: list[int] = numbers) -> AsyncIterator[rpc.IngestMentionsRequest]:
                for n in ns:
                    yield request(platform, n, stamp)

            answer = await stub.IngestMentions(stream(), metadata=token, timeout=120)
            assert answer.accepted_count == len(numbers), answer.refusals
            returned = time.perf_counter()
            for n in numbers:
                clock.captured[f"m{n:07d}"] = returned

    await asyncio.gather(*(caller(n) for n in range(in_flight)))


async def wait_scored(clock: Clock, expected: int) -> bool:
    deadline = time.perf_counter() + DRAIN_SECONDS
    while time.perf_counter() < deadline:
        if len(clock.scored_at) >= expected:
            return True
        await asyncio.sleep(0.05)
    return False


async def counts(platform: ScalePlatform) -> dict[str, int]:
    """What each database and the stream hold once the run drained."""
    found: dict[str, int] = {}
    listener = create_engine(platform.urls["listener"])
    async with listener.connect() as connection:
        query = select(func.count()).select_from(MentionRow)
        found["listener_mentions"] = int((await connection.execute(query)).scalar_one())
    await listener.dispose()
    reputation = create_engine(platform.urls["reputation"])
    processed = RUNTIME_TABLES.processed_events
    queries = {
        "sentiments": select(func.count()).select_from(MentionSentimentRow),
        "distinct_sentiments": select(func.count(func.distinct(MentionSentimentRow.mention_id))),
        "measure_volume": select(func.coalesce(func.sum(MeasureBucketRow.volume), 0)).where(
            MeasureBucketRow.dimension == "none"
        ),
        "crisis_watch_total": select(func.coalesce(func.sum(CrisisWatchRow.bucket_total), 0)),
        "inbox_rows": select(func.count()).where(processed.c.consumer == MENTIONS_DURABLE),
    }
    async with reputation.connect() as connection:
        for name, query in queries.items():
            found[name] = int((await connection.execute(query)).scalar_one())
    await reputation.dispose()
    client = await nats.connect(platform.nats_url)
    info = await client.jetstream().stream_info("VIGIE_REPUTATION", subjects_filter=SCORED)
    found["scored_in_stream"] = sum((info.state.subjects or {}).values())
    await client.close()
    return found


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


def cpu_by_group(before: dict[str, float], after: dict[str, float]) -> dict[str, float]:
    groups: dict[str, float] = {}
    for name, seconds in after.items():
        group = name.rsplit("-", 1)[0]
        groups[group] = round(groups.get(group, 0.0) + seconds - before.get(name, 0.0), 1)
    return groups


async def run(backend: str, replicas: int, mode: str, args: argparse.Namespace) -> dict[str, Any]:
    folder = Path(tempfile.mkdtemp(prefix="vigie-scale-"))
    platform = ScalePlatform(folder, backend, replicas, args.model, args.postgres_url, args.brands)
    platform.core_per_replica = args.core_per_replica
    if args.profile:
        platform.profiles = Path(args.profile) / f"{backend}-{mode}-{replicas}"
    try:
        await platform.start(workers=mode == END_TO_END)
        result = await (measure(platform, args) if mode == END_TO_END else drain(platform, args))
    except BaseException:
        print(f"failed: the processes' logs are kept in {folder / 'logs'}", flush=True)
        raise
    finally:
        await platform.stop()
    shutil.rmtree(folder, ignore_errors=True)
    return result


async def measure(platform: ScalePlatform, args: argparse.Namespace) -> dict[str, Any]:
    clock = Clock()
    client = await nats.connect(platform.nats_url)
    await client.subscribe(SCORED, cb=clock.on_scored, pending_msgs_limit=-1)
    await client.subscribe(CAPTURED, cb=clock.on_captured, pending_msgs_limit=-1)
    load_before = round(os.getloadavg()[0], 2)
    cpu_before = platform.cpu_seconds()
    started = time.perf_counter()
    names = await push(platform, clock, args.mentions, args.batch, args.in_flight)
    pushed = time.perf_counter()
    drained = await wait_scored(clock, len(names))
    ended = max(clock.scored_at.values(), default=time.perf_counter())
    cpu = cpu_by_group(cpu_before, platform.cpu_seconds())
    load_after = round(os.getloadavg()[0], 2)
    scored = clock.scored
    latencies = [scored[n] - clock.captured[n] for n in names if n in scored]
    expected = len(names)
    return {
        **common(platform, args, END_TO_END, expected, drained),
        "throughput_per_s": round(expected / (ended - started), 1),
        "capture_per_s": round(expected / (pushed - started), 1),
        "capture_to_score_p50_ms": round(percentile(latencies, 0.50) * 1000, 1),
        "capture_to_score_p99_ms": round(percentile(latencies, 0.99) * 1000, 1),
        "cpu_seconds": cpu,
        "load_average_1min_before_after": [load_before, load_after],
        **await exactly_once(platform, client, clock, expected),
    }


async def drain(platform: ScalePlatform, args: argparse.Namespace) -> dict[str, Any]:
    """Captures everything with no worker running, then times the workers' drain."""
    clock = Clock()
    client = await nats.connect(platform.nats_url)
    await client.subscribe(SCORED, cb=clock.on_scored, pending_msgs_limit=-1)
    await client.subscribe(CAPTURED, cb=clock.on_captured, pending_msgs_limit=-1)
    started = time.perf_counter()
    names = await push(platform, clock, args.mentions, args.batch, args.in_flight)
    pushed = time.perf_counter()
    load_before = round(os.getloadavg()[0], 2)
    spawned = time.perf_counter()
    ready = await platform.start_workers()
    all_ready = max(ready.values())
    cpu_before = platform.cpu_seconds()  # from here: the start of the processes left out
    drained = await wait_scored(clock, len(names))
    ended = max(clock.scored_at.values(), default=time.perf_counter())
    cpu = cpu_by_group(cpu_before, platform.cpu_seconds())
    load_after = round(os.getloadavg()[0], 2)
    expected = len(names)
    early = sum(1 for t in clock.scored_at.values() if t <= all_ready)
    return {
        **common(platform, args, DRAIN, expected, drained),
        "throughput_per_s": round((expected - early) / (ended - all_ready), 1)
        if ended > all_ready
        else None,
        "scored_before_all_workers_ready": early,
        "workers_start_seconds": round(all_ready - spawned, 1),
        "drain_from_spawn_per_s": round(expected / (ended - spawned), 1),
        "capture_per_s": round(expected / (pushed - started), 1),
        "cpu_seconds": cpu,
        "load_average_1min_before_after": [load_before, load_after],
        **await exactly_once(platform, client, clock, expected),
    }


def common(
    platform: ScalePlatform, args: argparse.Namespace, mode: str, expected: int, drained: bool
) -> dict[str, Any]:
    return {
        "backend": platform.backend,
        "replicas": platform.replicas,
        "mode": mode,
        "model": args.model,
        "mentions": expected,
        "drained": drained,
        "cpu": "core per replica" if platform.core_per_replica else "shared",
        "cores": len(os.sched_getaffinity(0)),
        "worker_cores": {
            name: cores for name, cores in platform.cores_used().items() if "worker" in name
        },
    }


async def exactly_once(
    platform: ScalePlatform, client: Client, clock: Clock, expected: int
) -> dict[str, Any]:
    await asyncio.sleep(1.0)  # late duplicates, if there were any, would arrive meanwhile
    await client.close()
    found = await counts(platform)
    checks = {name: found[name] == expected for name in found}
    checks["scored_events_received_once"] = clock.scored_events == expected
    return {"counts": found, "exactly_once": all(checks.values()), "checks": checks}


def table(results: list[dict[str, Any]]) -> str:
    lines = [
        "backend   mode        cpu                replicas  mentions/s  capture/s  p50 ms    "
        "p99 ms   exactly-once  CPU s (l-api/l-worker/r-worker)  load",
    ]
    for r in results:
        cpu = r["cpu_seconds"]
        spent = "/".join(
            str(cpu.get(g, 0)) for g in ("listener-api", "listener-worker", "reputation-worker")
        )
        lines.append(
            f"{r['backend']:<9} {r['mode']:<11} {r.get('cpu', 'shared'):<17} {r['replicas']:>9}  "
            f"{r['throughput_per_s']!s:>10}  "
            f"{r['capture_per_s']:>9}  {r.get('capture_to_score_p50_ms', '-'):>7}  "
            f"{r.get('capture_to_score_p99_ms', '-'):>8}  "
            f"{'yes' if r['exactly_once'] else 'NO':>12}  "
            f"{spent:>31}  {r['load_average_1min_before_after']}"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replicas", default="1,2,3")
    parser.add_argument("--mentions", type=int, default=4000)
    parser.add_argument("--backend", choices=["sqlite", "postgres", "both"], default="sqlite")
    parser.add_argument("--model", choices=["default", "cascade", "fast"], default="default")
    parser.add_argument("--brands", type=int, default=20)
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--in-flight", type=int, default=4)
    parser.add_argument("--mode", choices=[DRAIN, END_TO_END, "both"], default=DRAIN)
    parser.add_argument("--label", default="")
    parser.add_argument(
        "--core-per-replica",
        action="store_true",
        help="replica N's workers on core N-1 (mod cores) only, as pods with their own CPU",
    )
    parser.add_argument("--profile", default="", help="a folder: the workers' cProfile stats")
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get(
            "VIGIE_BENCH_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
        ),
    )
    args = parser.parse_args()
    backends = ["sqlite", "postgres"] if args.backend == "both" else [args.backend]
    modes = [DRAIN, END_TO_END] if args.mode == "both" else [args.mode]
    results = []
    for backend in backends:
        for mode in modes:
            for replicas in [int(r) for r in args.replicas.split(",")]:
                result = asyncio.run(run(backend, replicas, mode, args))
                result["label"] = args.label
                print(json.dumps(result), flush=True)
                results.append(result)
                save(result)  # each run as it ends: a later one failing keeps the earlier ones
    print(table(results))
    print(f"wrote {RESULTS}")


def save(result: dict[str, Any]) -> None:
    """Runs of other backends, modes, replica counts, models or labels are kept: the latest of
    each."""
    previous = json.loads(RESULTS.read_text())["runs"] if RESULTS.exists() else []
    runs = {
        (
            r["backend"],
            r.get("mode", END_TO_END),
            r["replicas"],
            r["model"],
            r.get("cpu", "shared"),
            r.get("label", ""),
        ): r
        for r in [*previous, result]
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps({"runs": list(runs.values())}, indent=2) + "\n")


if __name__ == "__main__":
    main()
