"""Dispatcher throughput: 10,000 publications due in the same minute (all at its first second, the
hardest case for a minute-resolution schedule), published to a local HTTP
endpoint that counts calls; publications/s, lateness p50/p99, duplicates (must be 0).

    uv run python bench/bench_dispatch.py [--backend sqlite|postgresql|both] [--count 10000]

PostgreSQL needs VIGIE_TEST_POSTGRES_URL (a server where a throw-away database is created); it
runs several dispatchers side by side (replicas claiming with SKIP LOCKED), SQLite runs one.
Writes bench/results/dispatch.json.
"""

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import func, insert, select
from vigie_publisher.adapters.adapter_pool import AdapterPool, http_sink
from vigie_publisher.adapters.credentials import CredentialVault
from vigie_publisher.adapters.orm import (
    RUNTIME_TABLES,
    KnownBrandRow,
    PostRow,
    PublicationRow,
    SocialAccountRow,
)
from vigie_publisher.app.dispatch.dispatcher import Dispatcher, DispatchSettings
from vigie_publisher.bootstrap import MIGRATIONS
from vigie_publisher.config import Settings
from vigie_runtime.free_ports import free_port
from vigie_runtime.host import Plumbing
from vigie_runtime.migrations import upgrade
from vigie_runtime.settings import PlatformSettings
from vigie_runtime.testing.databases import POSTGRES_ENV, temporary_database

RESULTS = Path(__file__).parent / "results" / "dispatch.json"
KEY = "8l6nUIlx6X5oKxmd6p2oEFXGk3SfE5xPC0Tt0jL5Arc="
ACCOUNTS, TENANT, LEAD_S = 100, "t_bench", 8.0
SETTINGS = DispatchSettings(
    batch=500,
    concurrency=48,
    lease=timedelta(seconds=120),
    call_deadline_s=10.0,
    poll_s=0.1,
    account_rate_per_s=1000.0,
    account_burst=1000.0,
)


async def sink_stats(port: int) -> dict[str, int]:
    async with httpx.AsyncClient(timeout=5) as client:
        answer = await client.get(f"http://127.0.0.1:{port}/stats")
        answer.raise_for_status()
        return dict(answer.json())


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def seed(plumbing: Plumbing, count: int, first_due: datetime) -> None:
    vault, now = CredentialVault([KEY]), datetime.now(UTC)
    base = {"tenant": TENANT, "brand_id": "brand", "subsidiary_id": "sub"}
    async with plumbing.uow() as uow:
        uow.session.add(
            KnownBrandRow(
                tenant=TENANT,
                id="brand",
                subsidiary_id="sub",
                display_name="Bench",
                kind="own",
                aliases=[],
                competitors=[],
                deleted=False,
                updated_at=now,
            )
        )
        await uow.session.execute(
            insert(SocialAccountRow),
            [
                {
                    **base,
                    "id": f"acct{i:03d}",
                    "network": "x",
                    "handle": f"@bench{i}",
                    "display_name": "",
                    "time_zone": "UTC",
                    "language": "",
                    "sealed_credentials": vault.seal({"access_token": "t"}),
                    "token_health": "ok",
                    "health_cause": "",
                    "deleted": False,
                    "version": 1,
                    "created_at": now,
                    "updated_at": now,
                }
                for i in range(ACCOUNTS)
            ],
        )
        variant = {
            "network": "x",
            "language": "",
            "first_comment": "",
            "parts": [{"text": "Bench post", "media": []}],
        }
        for start in range(0, count, 2000):
            ids = range(start, min(count, start + 2000))
            await uow.session.execute(
                insert(PostRow),
                [
                    {
                        **base,
                        "id": f"post{i:06d}",
                        "author": "bench",
                        "status": "scheduled",
                        "variants": [variant],
                        "account_ids": [f"acct{i % ACCOUNTS:03d}"],
                        "stages": [],
                        "stage_index": 0,
                        "version": 1,
                        "created_at": now,
                        "updated_at": now,
                    }
                    for i in ids
                ],
            )
            await uow.session.execute(
                insert(PublicationRow),
                [
                    {
                        "tenant": TENANT,
                        "brand_id": "brand",
                        "id": f"pub{i:06d}",
                        "post_id": f"post{i:06d}",
                        "account_id": f"acct{i % ACCOUNTS:03d}",
                        "network": "x",
                        "state": "scheduled",
                        "variant": variant,
                        "due_at": first_due,
                        "not_before": first_due,
                        "attempts": 0,
                        "external_id": "",
                        "external_uri": "",
                        "last_error": "",
                        "updated_at": now,
                    }
                    for i in ids
                ],
            )
        await uow.commit()


async def dispatch_all(
    plumbing: Plumbing, sink: str, count: int, workers: int, skip_locked: bool
) -> float:
    """Runs `workers` dispatchers until every publication is settled; the wall time."""
    vault, stop = CredentialVault([KEY]), asyncio.Event()
    dispatchers = [
        Dispatcher(
            plumbing.uow,
            AdapterPool(vault, {"x": http_sink(sink, "x")}),
            SETTINGS,
            skip_locked=skip_locked,
        )
        for _ in range(workers)
    ]
    tasks = [asyncio.create_task(d.run(stop)) for d in dispatchers]
    started = time.perf_counter()
    try:
        while time.perf_counter() - started < 900:
            query = select(func.count()).where(PublicationRow.state.in_(("published", "failed")))
            async with plumbing.engine.connect() as connection:
                if (await connection.execute(query)).scalar_one() >= count:
                    break
            await asyncio.sleep(0.2)
    finally:
        stop.set()
        await asyncio.gather(*tasks)
    return time.perf_counter() - started


async def measure(url: str, backend: str, count: int) -> dict[str, Any]:
    await asyncio.to_thread(upgrade, MIGRATIONS, url)
    folder = Path(tempfile.mkdtemp())
    settings = Settings(
        database_url=url,
        platform=PlatformSettings(jwks_file=folder / "jwks.json", environment="test"),
    )
    plumbing = Plumbing("publisher", settings, RUNTIME_TABLES)
    port = free_port()
    server = subprocess.Popen(  # noqa: ASYNC220 - started once, before anything is measured
        [sys.executable, str(Path(__file__).with_name("bench_dispatch_sink.py")), str(port)]
    )
    try:
        for _ in range(100):
            try:
                await sink_stats(port)
                break
            except httpx.HTTPError:
                await asyncio.sleep(0.1)
        first_due = datetime.now(UTC) + timedelta(seconds=LEAD_S)
        await seed(plumbing, count, first_due)
        workers = 1 if backend == "sqlite" else 2
        await asyncio.sleep(max(0.0, (first_due - datetime.now(UTC)).total_seconds()))
        wall = await dispatch_all(
            plumbing,
            f"http://127.0.0.1:{port}/posts",
            count,
            workers,
            skip_locked=backend != "sqlite",
        )
        async with plumbing.uow() as uow:
            rows = (
                await uow.session.execute(
                    select(PublicationRow.state, PublicationRow.due_at, PublicationRow.published_at)
                )
            ).all()
        stats = await sink_stats(port)
    finally:
        server.terminate()
        server.wait(10)
        await plumbing.close()
    published = [r for r in rows if r.state == "published"]

    def utc(moment: datetime) -> datetime:
        return moment if moment.tzinfo else moment.replace(tzinfo=UTC)

    lateness = [(utc(r.published_at) - utc(r.due_at)).total_seconds() for r in published]
    last = max(utc(r.published_at) for r in published)
    return {
        "backend": backend,
        "publications": count,
        "dispatchers": workers,
        "published": len(published),
        "failed": len(rows) - len(published),
        "publications_per_s": round(len(published) / (last - first_due).total_seconds(), 1),
        "lateness_p50_s": round(percentile(lateness, 0.50), 3),
        "lateness_p99_s": round(percentile(lateness, 0.99), 3),
        "sink_posts": stats["posts"],
        "sink_post_calls": stats["post_calls"],
        "duplicates": stats["keys_posted_twice"] + max(0, stats["posts"] - len(published)),
        "wall_s": round(wall, 2),
    }


async def one_backend(backend: str, count: int) -> dict[str, Any]:
    if backend == "postgresql" and not os.environ.get(POSTGRES_ENV):
        raise SystemExit(f"set {POSTGRES_ENV} to bench PostgreSQL")
    if backend == "sqlite":
        os.environ.pop(POSTGRES_ENV, None)
    async with temporary_database(Path(tempfile.mkdtemp()), "bench") as url:
        return await measure(url, backend, count)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--count", type=int, default=10_000)
    args = parser.parse_args()
    backends = ["sqlite", "postgresql"] if args.backend == "both" else [args.backend]
    load_before = os.getloadavg()[0]
    postgres = os.environ.get(POSTGRES_ENV, "")
    results = []
    for backend in backends:
        if backend == "postgresql" and postgres:
            os.environ[POSTGRES_ENV] = postgres
        result = asyncio.run(one_backend(backend, args.count))
        print(json.dumps(result))
        results.append(result)
    RESULTS.parent.mkdir(exist_ok=True)
    settings = {k: str(v) for k, v in SETTINGS.__dict__.items()}
    env = f"{POSTGRES_ENV}={postgres} " if "postgresql" in backends else ""
    machine = (
        f"{os.cpu_count()} CPUs shared with other engineers' work; load average (1 min) "
        f"{load_before:.1f} before, {os.getloadavg()[0]:.1f} after; all due at the same second"
    )
    summary = {
        "command": f"{env}uv run python bench/bench_dispatch.py {' '.join(sys.argv[1:])}",
        "machine": machine,
        "settings": settings,
        "accounts": ACCOUNTS,
        "results": results,
    }
    RESULTS.write_text(json.dumps(summary, indent=2) + "\n")


if __name__ == "__main__":
    main()
