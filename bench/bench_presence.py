"""Presence measures over one year of snapshots for 1,000 accounts: query latency p50/p95.

`uv run python bench/bench_presence.py --backend sqlite|postgresql|both` (PostgreSQL at
`VIGIE_BENCH_POSTGRES_URL`, in a database of its own, dropped after the run). Writes
bench/results/presence.json.

Loading, through the store's own write path (`presence_store.record_snapshots`, the consumer's):
- the year's day roll-ups: for each account, one call with each day's first (00:02 local) and
  last (23:57 local) 5-minute snapshot of the year, carrying the day's posts. A day roll-up keeps
  only a day's first and last counters, so it is the same as feeding the day's 288 snapshots;
  the raw rows those calls write fall outside the retention and are pruned by the same call.
- the raw 5-minute rows of the last `--raw-days` days (every 5 minutes, 288 a day).
Queries go through `app/presence_reads.py` (what the API and the reports call), for an account,
a brand (5 accounts) and a subsidiary (10 brands, 50 accounts), over a day, a month and a year
ending at the data's end, in the subsidiary's zone.
"""

import argparse
import asyncio
import json
import os
import random
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bench_databases import bench_database
from vigie_reputation.adapters.orm import RUNTIME_TABLES, KnownBrandRow, KnownSubsidiaryRow
from vigie_reputation.app import presence_reads as reads
from vigie_reputation.app.presence_store import PostReading, SnapshotFacts, record_snapshots
from vigie_reputation.bootstrap import MIGRATIONS
from vigie_reputation.config import Settings
from vigie_reputation.domain.presence.window import PresenceGranularity, checked_window
from vigie_runtime.host import Plumbing
from vigie_runtime.migrations import upgrade

RESULTS = Path(__file__).parent / "results" / "presence.json"
TENANT = "t_bench"
ZONES = ["Europe/Paris", "America/Sao_Paulo", "Asia/Tokyo", "America/New_York"]
END = datetime(2026, 11, 30, tzinfo=UTC)
RETENTION = timedelta(days=35)


def account_name(index: int) -> str:
    return f"tenants/{TENANT}/brands/b{index // 5}/socialAccounts/a{index}"


def snapshot(index: int, at: datetime, zone: str, posts: list[PostReading]) -> SnapshotFacts:
    days = (at - (END - timedelta(days=365))).total_seconds() / 86400
    followers = 1000 + index * 10 + int(days * (3 + index % 7))
    return SnapshotFacts(
        tenant=TENANT,
        account=account_name(index),
        brand_id=f"b{index // 5}",
        subsidiary_id=f"s{index // 50}",
        network=1,
        handle=f"@a{index}",
        owned=True,
        time_zone=zone,
        time=at,
        followers=followers,
        following=100,
        posts=int(days * 2),
        recent_posts=posts,
    )


def day_posts(index: int, day_start: datetime, rng: random.Random) -> list[PostReading]:
    return [
        PostReading(
            uri=f"at://a{index}/{day_start:%Y%m%d}-{n}",
            url="",
            text="a post",
            create_time=day_start + timedelta(hours=9 + 6 * n),
            likes=rng.randrange(50),
            reposts=rng.randrange(10),
            replies=rng.randrange(5),
            quotes=0,
            impressions=-1,
            reply_to_uri="",
        )
        for n in range(2)
    ]


async def load(plumbing: Plumbing, accounts: int, raw_days: int) -> dict[str, float]:
    async with plumbing.uow() as uow:
        for s in range(accounts // 50 + 1):
            uow.session.add(
                KnownSubsidiaryRow(
                    tenant=TENANT,
                    id=f"s{s}",
                    display_name=f"s{s}",
                    country="FR",
                    locale="fr-FR",
                    time_zone=ZONES[s % len(ZONES)],
                    data_region="eu",
                    updated_at=END,
                )
            )
        for b in range(accounts // 5 + 1):
            uow.session.add(
                KnownBrandRow(
                    tenant=TENANT,
                    id=f"b{b}",
                    subsidiary_id=f"s{b // 10}",
                    display_name=f"b{b}",
                    kind="own",
                    aliases=[],
                    competitors=[],
                    deleted=False,
                    updated_at=END,
                )
            )
        await uow.commit()
    rng = random.Random(7)
    started = time.perf_counter()
    for index in range(accounts):
        zone = ZONES[(index // 50) % len(ZONES)]
        local = ZoneInfo(zone)
        batch = []
        for day in range(365):
            start = datetime.combine(
                (END - timedelta(days=365 - day)).date(), datetime.min.time(), local
            ).astimezone(UTC)
            posts = day_posts(index, start, rng)
            batch.append(snapshot(index, start + timedelta(minutes=2), zone, []))
            batch.append(snapshot(index, start + timedelta(hours=23, minutes=57), zone, posts))
        async with plumbing.uow() as uow:
            await record_snapshots(uow, batch, RETENTION)
            await uow.commit()
    rollups = time.perf_counter() - started
    started = time.perf_counter()
    for index in range(accounts):
        zone = ZONES[(index // 50) % len(ZONES)]
        first = END - timedelta(days=raw_days)
        batch = [
            snapshot(index, first + timedelta(minutes=5 * n + 1), zone, [])
            for n in range(288 * raw_days)
        ]
        async with plumbing.uow() as uow:
            await record_snapshots(uow, batch, RETENTION)
            await uow.commit()
    return {
        "rollup_load_s": round(rollups, 1),
        "raw_load_s": round(time.perf_counter() - started, 1),
    }


async def timed(plumbing: Plumbing, scope: str, days: int, repeat: int) -> dict[str, float]:
    samples = []
    granularity = PresenceGranularity.DAY if days <= 31 else PresenceGranularity.WEEK
    for n in range(repeat + 2):
        index = (n * 53) % 950
        started = time.perf_counter()
        async with plumbing.uow() as uow:
            zone = await reads.subsidiary_zone(uow, TENANT, f"s{index // 50}")
            window = checked_window(END - timedelta(days=days), END, zone)
            if scope == "account":
                await reads.accounts_presence(
                    uow, TENANT, [account_name(index)], window, granularity
                )
            elif scope == "brand":
                await reads.brand_presence(uow, TENANT, [f"b{index // 5}"], window, granularity)
                await reads.engagement_shares(uow, TENANT, f"b{index // 5}", window)
                await reads.brand_response_time(uow, TENANT, [f"b{index // 5}"], window)
            else:
                brands = await reads.own_brands(uow, TENANT, f"s{index // 50}")
                await reads.brand_presence(uow, TENANT, brands, window, granularity)
        if n >= 2:  # two warm-ups
            samples.append((time.perf_counter() - started) * 1000)
    ordered = sorted(samples)
    pick = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))]  # noqa: E731
    return {
        "p50_ms": round(pick(0.5), 1),
        "p95_ms": round(pick(0.95), 1),
        "mean_ms": round(statistics.fmean(samples), 1),
        "n": len(samples),
    }


async def measure(url: str, accounts: int, raw_days: int, repeat: int) -> dict[str, Any]:
    await asyncio.to_thread(upgrade, MIGRATIONS, url)
    plumbing = Plumbing("reputation", Settings(database_url=url), RUNTIME_TABLES)
    try:
        result: dict[str, Any] = await load(plumbing, accounts, raw_days)
        print("loaded", json.dumps(result), flush=True)
        for scope in ("account", "brand", "subsidiary"):
            for label, days in (("day", 1), ("month", 30), ("year", 365)):
                result[f"{scope}_{label}"] = await timed(plumbing, scope, days, repeat)
                print(scope, label, result[f"{scope}_{label}"], flush=True)
        return result
    finally:
        await plumbing.close()


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--accounts", type=int, default=1000)
    parser.add_argument("--raw-days", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args()
    results: dict[str, Any] = {
        "accounts": args.accounts,
        "days_of_rollups": 365,
        "raw_days": args.raw_days,
        "posts_per_account_per_day": 2,
        "loaded_through": "presence_store.record_snapshots "
        "(the consumer's write path): per account one call with each day's first and last "
        "snapshot for the year's roll-ups (the same roll-up as 288 a day), then every 5-minute "
        "snapshot of the last raw_days days",
        "queries_through": "app/presence_reads.py",
        "load_average_before": os.getloadavg(),
    }
    if args.backend in ("sqlite", "both"):
        with tempfile.TemporaryDirectory() as folder:
            url = f"sqlite+aiosqlite:///{folder}/bench.sqlite"
            results["sqlite"] = await measure(url, args.accounts, args.raw_days, args.repeat)
    if args.backend in ("postgresql", "both"):
        base = os.environ.get(
            "VIGIE_BENCH_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
        )
        url = await bench_database(base, "vigie_bench_presence")
        try:
            results["postgresql"] = await measure(url, args.accounts, args.raw_days, args.repeat)
        finally:
            await bench_database(base, "vigie_bench_presence", "drop")
    results["load_average_after"] = os.getloadavg()
    args.output.parent.mkdir(exist_ok=True)
    args.output.write_text(json.dumps(results, indent=2) + "\n")
    print(f"wrote {args.output}")


if __name__ == "__main__":
    asyncio.run(main())
