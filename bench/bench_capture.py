"""Capture end to end on the embedded default (real nats-server, SQLite): replay -> matched ->
stored -> `mention.captured` published by the outbox relay and stored by JetStream.

Run: `uv run python bench/bench_capture.py [--rate 2500] [--seconds 20] [--tenants 100]`
(`--rate 0` replays as fast as the pipeline takes it).

The listener runs in-process as a worker with `--tenants` tenants x 10 listening queries (one
brand each matching the replayed texts, the rest not). A replay source plays `rate` texts a
second; each text mentions the brand. Latency is from the moment the replay hands a text to
the pipeline (its publish time) to its `mention.captured` delivered from the JetStream stream
(so stored by JetStream); the sustained rate is mentions delivered per second over the run.
Prints the figures and writes `bench/results/capture.json`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import nats
from nats.aio.msg import Msg
from sqlalchemy import func, select
from vigie.listener.v1 import events_pb2
from vigie.listener.v1 import resources_pb2 as pb
from vigie_listener.adapters.orm import KnownBrandRow, ListeningQueryRow, MentionRow
from vigie_listener.bootstrap import build
from vigie_listener.config import Settings
from vigie_listener.testing import seed_source
from vigie_runtime.database import create_engine, session_factory
from vigie_runtime.embedded_nats import EmbeddedNats
from vigie_runtime.ids import new_id
from vigie_runtime.nats_connection import ensure_stream
from vigie_runtime.settings import PlatformSettings
from vigie_runtime.testing.services import serving

CONSUMED_PRODUCERS = ["directory", "publisher"]
RESULTS = Path(__file__).parent / "results" / "capture.json"
TEMPLATES = [
    "J'adore le café {brand}, numéro {n}, vraiment excellent",
    "Just tried {brand} again (#{n}) and the service was great",
    "{brand} hat heute wieder geliefert, Bestellung {n}",
    "Probé {brand} por primera vez, pedido {n}, muy bueno",
    "Il nuovo negozio {brand} è aperto, scontrino {n}",
]


async def seed(url: str, tenants: int) -> None:
    engine = create_engine(url)
    moment = datetime.now(UTC)
    async with session_factory(engine)() as session:
        for t in range(tenants):
            tenant = f"t_bench{t:04d}"
            session.add(
                KnownBrandRow(
                    tenant=tenant, id="brand", subsidiary_id="hq", display_name="B", kind="own",
                    aliases=[], competitors=[], deleted=False, updated_at=moment,
                )
            )  # fmt: skip
            words = ["lumiere"] if t == 0 else []
            words += [f"word{t}x{q}" for q in range(10 - len(words))]
            for word in words:
                session.add(
                    ListeningQueryRow(
                        id=new_id(), tenant=tenant, brand_id="brand", display_name=word,
                        query=f'{word} OR "{word} shop"', active=True, languages=[],
                        deleted=False, version=1, created_at=moment, updated_at=moment,
                    )
                )  # fmt: skip
        await session.commit()
    await engine.dispose()


def write_texts(path: Path, count: int) -> None:
    with path.open("w", encoding="utf-8") as out:
        for n in range(count):
            out.write(TEMPLATES[n % len(TEMPLATES)].format(brand="Lumière", n=n) + "\n")


async def _stored(url: str) -> int:
    engine = create_engine(url)
    async with session_factory(engine)() as session:
        found = (await session.execute(select(func.count()).select_from(MentionRow))).scalar_one()
    await engine.dispose()
    return int(found)


async def _producer_streams(url: str, producers: list[str]) -> None:
    connection = await nats.connect(url)
    for producer in producers:
        await ensure_stream(connection.jetstream(), producer)
    await connection.close()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def run(rate: float, seconds: float, tenants: int) -> dict[str, Any]:
    load_before = os.getloadavg()[0]  # the machine is shared: the figures depend on it
    count = int(rate * seconds) if rate > 0 else int(2500 * seconds)
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        server = EmbeddedNats(root / "nats")
        server.start()
        # The streams of the producers the listener consumes, as their services would create
        # them: without them its consumers retry (and log) the whole run.
        await _producer_streams(server.url, CONSUMED_PRODUCERS)
        url = f"sqlite+aiosqlite:///{root / 'listener.sqlite'}"
        platform = PlatformSettings(
            jwks_file=root / "jwks.json", nats_url=server.url, environment="test"
        )
        (root / "jwks.json").write_text('{"keys": []}')
        settings = Settings(
            database_url=url, grpc_address="127.0.0.1:0", platform=platform, relay_batch_size=5000
        )
        texts = root / "texts.txt"
        write_texts(texts, count)
        latencies: list[float] = []
        arrivals: list[float] = []
        done = asyncio.Event()
        try:
            async with serving(build(settings), mode="worker"):
                await seed(url, tenants)
                connection = await nats.connect(server.url)
                js = connection.jetstream()

                async def received(message: Msg) -> None:
                    event = events_pb2.MentionCaptured()
                    event.ParseFromString(message.data)
                    published = event.mention.publish_time.ToDatetime(tzinfo=UTC)
                    latencies.append((datetime.now(UTC) - published).total_seconds())
                    arrivals.append(time.monotonic())
                    if len(latencies) >= count:
                        done.set()

                subject = "vigie.listener.*.mention.captured.v1"
                await js.subscribe(subject, cb=received, ordered_consumer=True)
                config: dict[str, object] = {"uri": f"file://{texts}", "speed": rate}
                started = time.monotonic()
                await seed_source(
                    url, "replay", pb.SOURCE_KIND_REPLAY, config, tenant="t_bench0000"
                )
                deadline = started + seconds * 5 + 60
                while not done.is_set() and time.monotonic() < deadline:
                    await asyncio.sleep(2)
                    stored = await _stored(url)
                    print(f"{stored} stored, {len(latencies)} of {count} delivered", flush=True)
                if not done.is_set():
                    raise SystemExit("the run did not deliver every mention in time")
                await connection.close()
        finally:
            server.stop()
    # From the first delivery to the last (the supervisor picks the source up within 2 s).
    first_to_last = arrivals[-1] - arrivals[0]
    return {
        "offered_rate_per_s": rate or "as fast as possible",
        "mentions": len(latencies),
        "sustained_mentions_per_s": round(len(latencies) / max(first_to_last, 1e-9), 1),
        "latency_p50_s": round(percentile(latencies, 0.50), 4),
        "latency_p99_s": round(percentile(latencies, 0.99), 4),
        "latency_max_s": round(max(latencies), 4),
        "active_queries": tenants * 10,
        "tenants": tenants,
        "database": "sqlite",
        "load_average_1min_before_after": [round(load_before, 2), round(os.getloadavg()[0], 2)],
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rate", type=float, default=2500.0)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--tenants", type=int, default=100)
    args = parser.parse_args()
    figures = asyncio.run(run(args.rate, args.seconds, args.tenants))
    print(json.dumps(figures, indent=2))
    previous = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    previous[f"rate_{args.rate:g}"] = figures
    RESULTS.write_text(json.dumps(previous, indent=2) + "\n")


if __name__ == "__main__":
    main()
