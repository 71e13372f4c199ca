"""Pipeline latency of the reputation on the embedded default (real nats-server, SQLite).

Run: `uv run python bench/bench_pipeline.py [--model cascade] [--rate 1000] [--seconds 10]`.

The reputation runs in-process as a worker. One brand ("target") gets a day and a bucket of
steady history first (the detector's default one-day warm-up, untouched), then a steady load of
`rate` mentions/s is published as `mention.captured` over many other brands, and in its middle
a burst of negative mentions of the target. Figures:

- scored: from each `mention.captured` published to its `mention.scored` received (p50, p99);
- crisis: from the burst mention that tipped the detector (the `observed`-th of the bucket) to
  `crisis.opened` received, and from the first burst mention.

With `--distinct-texts` every load mention's text is made unique (its number appended), so the
model scores each one: by default the load repeats 4 texts, which a batch scores once each.

Prints the figures (with the machine's load average before and after) and writes
`bench/results/pipeline.json` (one entry per model, rate and text mode).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import nats
from google.protobuf.timestamp_pb2 import Timestamp
from nats.aio.msg import Msg
from nats.js import JetStreamContext
from vigie.listener.v1 import events_pb2 as listener_events
from vigie.listener.v1 import resources_pb2 as listener
from vigie.reputation.v1 import events_pb2
from vigie_reputation.app.events import CRISIS_OPENED, MENTION_CAPTURED, MENTION_SCORED
from vigie_reputation.bootstrap import build
from vigie_reputation.config import Settings
from vigie_runtime.embedded_nats import EmbeddedNats
from vigie_runtime.events import cloudevent_headers
from vigie_runtime.nats_connection import ensure_stream
from vigie_runtime.settings import PlatformSettings
from vigie_runtime.testing.services import serving
from vigie_runtime.testing.tokens import TestKeys

TENANT = "t_bench"
RESULTS = Path(__file__).parent / "results" / "pipeline.json"
TEXTS = ["love this brand, great service", "ok, ordered again", "meh, it is fine", "not bad"]
ANGRY = "worst brand ever, disgusting, awful, I hate them"
TICK = 0.01  # publish in slices of 10 ms


def captured(brand: str, mention: str, text: str, published: datetime) -> bytes:
    stamp = Timestamp()
    stamp.FromDatetime(published)
    item = listener.Mention(
        name=f"tenants/{TENANT}/brands/{brand}/mentions/{mention}",
        brand=f"tenants/{TENANT}/brands/{brand}",
        source=f"tenants/{TENANT}/sources/bluesky",
        text=text,
        language="en",
        author=listener.MentionAuthor(handle="@someone.bsky.social", followers_count=120),
        publish_time=stamp,
        country="FR",
    )
    event = listener_events.MentionCaptured(
        mention=item, brand=item.brand, subsidiary=f"tenants/{TENANT}/subsidiaries/france"
    )
    return event.SerializeToString()


async def publish(js: JetStreamContext, brand: str, mention: str, text: str, at: datetime) -> None:
    event_id = f"{brand}-{mention}"
    headers = cloudevent_headers(
        event_id, MENTION_CAPTURED.ce_type, "listener", TENANT, datetime.now(UTC)
    )
    await js.publish(
        MENTION_CAPTURED.subject(TENANT), captured(brand, mention, text, at), headers=headers
    )


class Watch:
    """Receive times of `mention.scored` (by mention) and of `crisis.opened`."""

    def __init__(self) -> None:
        self.scored: dict[str, float] = {}
        self.opened: list[tuple[float, events_pb2.CrisisOpened]] = []

    async def on_message(self, message: Msg) -> None:
        now = time.perf_counter()
        kind = (message.headers or {}).get("ce-type")
        if kind == MENTION_SCORED.ce_type:
            scored = events_pb2.MentionScored.FromString(message.data)
            self.scored.setdefault(scored.sentiment.mention, now)
        elif kind == CRISIS_OPENED.ce_type:
            self.opened.append((now, events_pb2.CrisisOpened.FromString(message.data)))


async def wait_for(check: Any, seconds: float) -> bool:
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        if check():
            return True
        await asyncio.sleep(0.05)
    return False


async def feed_history(js: JetStreamContext, watch: Watch, bucket: datetime) -> None:
    """A day and a bucket of 2 mentions per 5 minutes for the target (1 negative in 4)."""
    buckets = 24 * 12 + 2
    for k in range(buckets, 0, -1):
        at = bucket - timedelta(minutes=5 * k) + timedelta(seconds=5)
        for i in range(2):
            text = ANGRY if (k + i) % 4 == 0 else TEXTS[i]
            await publish(js, "target", f"h{k}-{i}", text, at)
    prefix = f"tenants/{TENANT}/brands/target/mentions/h"
    await wait_for(lambda: sum(m.startswith(prefix) for m in watch.scored) >= 2 * buckets, 600)


async def load(
    js: JetStreamContext, rate: int, seconds: float, burst: int, bucket: datetime, distinct: bool
) -> tuple[dict[str, float], list[float]]:
    """Steady load over 50 brands, with `burst` angry target mentions in the middle second."""
    sent: dict[str, float] = {}
    burst_sent: list[float] = []
    tick_seconds = max(TICK, 1.0 / rate)  # below 100/s, one mention per tick
    per_tick, ticks = max(1, round(rate * tick_seconds)), round(seconds / tick_seconds)
    start, count = time.perf_counter(), 0
    for tick in range(ticks):
        batch = []
        for _ in range(per_tick):
            brand, name = f"brand{count % 50}", f"m{count}"
            sent[f"tenants/{TENANT}/brands/{brand}/mentions/{name}"] = time.perf_counter()
            text = f"{TEXTS[count % 4]} #{count}" if distinct else TEXTS[count % 4]
            batch.append(publish(js, brand, name, text, datetime.now(UTC)))
            count += 1
        if tick == ticks // 2:
            for i in range(burst):
                burst_sent.append(time.perf_counter())
                # Published inside the current bucket, whatever the wall clock does meanwhile.
                batch.append(publish(js, "target", f"b{i}", ANGRY, bucket + timedelta(seconds=30)))
        await asyncio.gather(*batch)
        await asyncio.sleep(max(0.0, start + (tick + 1) * tick_seconds - time.perf_counter()))
    return sent, burst_sent


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


async def run(
    model: str, rate: int, seconds: float, burst: int, folder: Path, distinct: bool
) -> dict[str, Any]:
    load_before = round(os.getloadavg()[0], 2)
    server = EmbeddedNats(folder / "nats")
    server.start()
    settings = Settings(
        database_url=f"sqlite+aiosqlite:///{folder / 'reputation.sqlite'}",
        grpc_address="127.0.0.1:0",
        sentiment_model=model,
        crisis_clock_seconds=3600.0,
        platform=PlatformSettings(
            jwks_file=folder / "jwks.json", nats_url=server.url, environment="test"
        ),
    )
    TestKeys(settings.platform.jwks_file)
    client = await nats.connect(server.url)
    watch = Watch()
    try:
        js = client.jetstream()
        await ensure_stream(js, "listener")
        await ensure_stream(js, "directory")  # the brand replica consumer binds to it
        await client.subscribe("vigie.reputation.>", cb=watch.on_message)
        async with serving(build(settings), mode="worker"):
            now = datetime.now(UTC)
            bucket = now.replace(minute=now.minute - now.minute % 5, second=0, microsecond=0)
            await feed_history(js, watch, bucket)
            sent, burst_sent = await load(js, rate, seconds, burst, bucket, distinct)
            drained = await wait_for(lambda: all(m in watch.scored for m in sent), 300)
            await wait_for(lambda: bool(watch.opened), 30)
    finally:
        await client.close()
        server.stop()
    latencies = [watch.scored[m] - t for m, t in sent.items() if m in watch.scored]
    result: dict[str, Any] = {
        "model": model,
        "rate_per_second": rate,
        "seconds": seconds,
        "mentions": len(sent),
        "scored": len(latencies),
        "drained": drained,
        "scored_p50_ms": round(percentile(latencies, 0.50) * 1000, 1),
        "scored_p99_ms": round(percentile(latencies, 0.99) * 1000, 1),
        "burst": burst,
        "distinct_texts": distinct,
        "load_average_1min": [load_before, round(os.getloadavg()[0], 2)],
    }
    if watch.opened:
        received, opened = watch.opened[0]
        explanation = opened.crisis.explanation
        tipping = min(max(int(explanation.observed), 1), burst) - 1
        result["crisis_from_tipping_mention_ms"] = round((received - burst_sent[tipping]) * 1000, 1)
        result["crisis_from_first_burst_mention_ms"] = round((received - burst_sent[0]) * 1000, 1)
        result["crisis_observed"] = explanation.observed
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", action="append", choices=["default", "cascade", "fast"])
    parser.add_argument("--rate", type=int, default=1000)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--burst", type=int, default=150)
    parser.add_argument("--distinct-texts", action="store_true")
    args = parser.parse_args()
    results = []
    for model in args.model or ["cascade"]:
        with tempfile.TemporaryDirectory() as folder:
            result = asyncio.run(
                run(model, args.rate, args.seconds, args.burst, Path(folder), args.distinct_texts)
            )
        print(json.dumps(result))
        results.append(result)
    # Runs at other models or rates are kept: the file holds the latest figure of each.
    previous = json.loads(RESULTS.read_text())["pipeline"] if RESULTS.exists() else []
    runs = {
        (r["model"], r["rate_per_second"], r.get("distinct_texts", False)): r
        for r in previous + results
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps({"pipeline": list(runs.values())}, indent=2) + "\n")
    print(f"wrote {RESULTS}")


if __name__ == "__main__":
    main()
