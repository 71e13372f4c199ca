"""Latency of a filtered, sorted creator search over 100,000 creators, on SQLite and PostgreSQL.

Run: `uv run python bench/bench_discovery.py` (PostgreSQL from `VIGIE_BENCH_POSTGRES_URL`,
default `postgresql+asyncpg://postgres@127.0.0.1:5432/postgres`, in a throw-away database;
`--creators N`, `--queries N`, `--skip-postgres`). The partnerships service is migrated and
served over gRPC; creators are bulk-inserted (seeded, reproducible), then SearchCreators is
called through gRPC with a group admin's token: topic + language + follower range + engagement
rate + authenticity, sorted by overall score, 50 a page, the first page and the next one.
Prints p50/p95 per database and writes `bench/results/discovery.json`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench_databases import bench_database
from sqlalchemy import insert
from vigie.partnerships.v1 import partnerships_pb2 as rpc
from vigie.partnerships.v1 import partnerships_pb2_grpc
from vigie_partnerships.adapters.orm import CreatorAccountRow, CreatorRow
from vigie_partnerships.bootstrap import build
from vigie_partnerships.config import Settings
from vigie_runtime.database import create_engine
from vigie_runtime.embedded_nats import EmbeddedNats
from vigie_runtime.grpc_client import open_channel
from vigie_runtime.settings import PlatformSettings
from vigie_runtime.testing.services import serving
from vigie_runtime.testing.tokens import TestKeys

TENANT = "t_bench"
TOPICS = [f"topic{i}" for i in range(40)] + ["coffee", "travel", "food", "tea", "beauty"]
LANGUAGES = ["fr", "en", "de", "es", "it", "pt", "nl", "ja"]
COUNTRIES = ["FR", "BE", "CH", "GB", "US", "DE", "ES", "IT", "PT", "NL"]
RESULTS = Path(__file__).resolve().parent / "results" / "discovery.json"


def creators(count: int, seed: int = 7) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    rng = random.Random(seed)
    now = datetime(2026, 11, 1, tzinfo=UTC)
    rows, accounts = [], []
    for index in range(count):
        topics = rng.sample(TOPICS, rng.randint(1, 4))
        languages = rng.sample(LANGUAGES, rng.randint(1, 2))
        countries = rng.sample(COUNTRIES, rng.randint(1, 2))
        followers = int(rng.lognormvariate(9.5, 1.6))
        creator_id = f"c{index:09d}"
        rows.append(
            {
                "id": creator_id,
                "tenant": TENANT,
                "display_name": f"Creator {index}",
                "languages": languages,
                "countries": countries,
                "topics": topics,
                "languages_text": "|" + "".join(f"{v}|" for v in languages),
                "countries_text": "|" + "".join(f"{v}|" for v in countries),
                "topics_text": "|" + "".join(f"{v}|" for v in topics),
                "search_text": f"creator {index} handle{index} {' '.join(topics)}",
                "origin": "import",
                "followers": followers,
                "engagement_rate": round(rng.uniform(0.001, 0.08), 4),
                "authenticity": float(rng.choice([100, 100, 90, 85, 75, 60, 45, 25])),
                "overall": round(rng.uniform(10, 95), 1),
                "version": 1,
                "created_at": now,
                "updated_at": now,
            }
        )
        accounts.append(
            {
                "tenant": TENANT,
                "network": rng.choice(["bluesky", "mastodon", "instagram"]),
                "network_id": f"id{index}",
                "creator_id": creator_id,
                "handle": f"handle{index}",
                "followers": followers,
                "following": rng.randint(10, 3000),
                "posts": rng.randint(10, 5000),
                "profile_url": "",
                "opened_at": None,
                "mean_engagements_per_post": 0.0,
            }
        )
    return rows, accounts


async def load(database_url: str, count: int) -> None:
    engine = create_engine(database_url)
    rows, accounts = creators(count)
    async with engine.begin() as connection:
        for start in range(0, count, 5000):
            await connection.execute(insert(CreatorRow), rows[start : start + 5000])
            await connection.execute(insert(CreatorAccountRow), accounts[start : start + 5000])
    # Statistics, as a deployment's maintenance keeps them: without them SQLite's planner may
    # range-scan the follower index and sort, instead of walking the sort's index.
    async with engine.begin() as connection:
        await connection.exec_driver_sql("ANALYZE")
    await engine.dispose()


def queries(count: int) -> list[rpc.SearchCreatorsRequest]:
    rng = random.Random(11)
    return [
        rpc.SearchCreatorsRequest(
            parent=f"tenants/{TENANT}",
            page_size=50,
            topics=[rng.choice(TOPICS)],
            languages=[rng.choice(LANGUAGES)],
            min_followers=rng.choice([1_000, 5_000, 10_000]),
            max_followers=rng.choice([0, 500_000]),
            min_engagement_rate=rng.choice([0.0, 0.01, 0.02]),
            min_authenticity=rng.choice([0, 60, 80]),
            order_by="overall desc",
        )
        for _ in range(count)
    ]


async def measure(database_url: str, creators_count: int, query_count: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as folder:
        nats = EmbeddedNats(Path(folder) / "nats")
        nats.start()
        try:
            return await _served(database_url, creators_count, query_count, Path(folder), nats.url)
        finally:
            nats.stop()


async def _served(
    database_url: str, creators_count: int, query_count: int, folder: Path, nats_url: str
) -> dict[str, Any]:
    settings = Settings(
        database_url=database_url,
        grpc_address="127.0.0.1:0",
        platform=PlatformSettings(
            jwks_file=folder / "jwks.json", nats_url=nats_url, environment="test"
        ),
    )
    keys = TestKeys(settings.platform.jwks_file)
    async with serving(build(settings)) as host:
        await load(database_url, creators_count)
        async with open_channel(f"127.0.0.1:{host.grpc_port}") as channel:
            stub = partnerships_pb2_grpc.PartnershipsServiceStub(channel)
            return await _timed(stub, keys.admin(TENANT), queries(query_count))


async def _timed(
    stub: partnerships_pb2_grpc.PartnershipsServiceStub,
    auth: tuple[tuple[str, str], ...],
    requests: list[rpc.SearchCreatorsRequest],
) -> dict[str, Any]:
    first, second, found = [], [], []
    for request in requests[:5]:  # warm-up
        await stub.SearchCreators(request, metadata=auth)
    for request in requests:
        started = time.perf_counter()
        answer = await stub.SearchCreators(request, metadata=auth)
        first.append((time.perf_counter() - started) * 1000)
        found.append(len(answer.creators))
        if answer.next_page_token:
            request.page_token = answer.next_page_token
            started = time.perf_counter()
            await stub.SearchCreators(request, metadata=auth)
            second.append((time.perf_counter() - started) * 1000)
    return {
        "first_page_ms": _percentiles(first),
        "next_page_ms": _percentiles(second),
        "mean_results_on_first_page": round(statistics.fmean(found), 1),
    }


def _percentiles(samples: list[float]) -> dict[str, float]:
    if not samples:
        return {}
    ordered = sorted(samples)
    pick = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))]  # noqa: E731
    return {"p50": round(pick(0.50), 2), "p95": round(pick(0.95), 2), "n": len(ordered)}


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--creators", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--skip-postgres", action="store_true")
    args = parser.parse_args()
    results: dict[str, Any] = {"creators": args.creators, "queries": args.queries}
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite+aiosqlite:///{folder}/bench.sqlite"
        results["sqlite"] = await measure(url, args.creators, args.queries)
        print("sqlite", json.dumps(results["sqlite"]))
    if not args.skip_postgres:
        base = os.environ.get(
            "VIGIE_BENCH_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
        )
        results["postgresql"] = await measure(
            await bench_database(base, "vigie_bench_discovery"), args.creators, args.queries
        )
        print("postgresql", json.dumps(results["postgresql"]))
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    print(f"wrote {RESULTS}")


if __name__ == "__main__":
    asyncio.run(main())
