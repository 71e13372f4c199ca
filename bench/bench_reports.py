"""Report generation time: a brand's and a subsidiary's report over a month and a quarter, to PDF
and to CSV, on SQLite and PostgreSQL: p50/p95.

`uv run python bench/bench_reports.py --backend sqlite|postgresql|both` (PostgreSQL at
`VIGIE_BENCH_POSTGRES_URL`, in a database of its own, dropped after the run). Writes
bench/results/reports.json.

The data, for one subsidiary (Paris, fr-FR) with 10 own brands and 3 competitors, over the 100
local days before now, loaded through the service's own write paths:
- presence: `presence_store.record_snapshots` (the `account.snapshotted` consumer's), 5 owned
  accounts per brand and 2 tracked accounts per competitor, each day's first and last snapshot
  with the day's 3 posts (their engagement as last seen), plus the last day's 5-minute rows;
- measures: `scoring.score_mention` and `questions.record_if_question` (the `mention.captured`
  consumer's, with the real sentiment model, its texts scored once ahead as the consumer does
  per batch), 60 mentions per brand and day, one in ten a question, one batch per brand and day;
- crises: `crises.apply` (what the detector's transitions call): per brand, a crisis opened, one
  escalated, one resolved (the detector dates them now);
- campaigns: `campaign_results.apply_results` (the `campaign.results_updated` consumer's), 20.
A report is timed as the worker makes it: `report_data.gather` in a unit of work, then the
renderer. The periods end at the next local midnight (the data runs up to now).
"""

import argparse
import asyncio
import json
import os
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bench_databases import bench_database
from google.protobuf.timestamp_pb2 import Timestamp
from vigie.partnerships.v1 import events_pb2 as partnerships_events
from vigie.partnerships.v1 import resources_pb2 as partnerships
from vigie_reputation.adapters.orm import (
    RUNTIME_TABLES,
    CrisisWatchRow,
    KnownBrandRow,
    KnownSubsidiaryRow,
)
from vigie_reputation.adapters.reports.csv_file import render_csv
from vigie_reputation.adapters.reports.pdf import render_pdf
from vigie_reputation.app import campaign_results, crises, questions, report_data, scoring
from vigie_reputation.app.presence_store import PostReading, SnapshotFacts, record_snapshots
from vigie_reputation.app.report_subjects import subject_of
from vigie_reputation.app.scorer import Scorer
from vigie_reputation.bootstrap import MIGRATIONS
from vigie_reputation.config import Settings
from vigie_reputation.domain.crisis import Severity, Signal, Transition, TransitionKind
from vigie_reputation.domain.measures import MentionFacts
from vigie_reputation.domain.reports.model import Report
from vigie_runtime.host import Plumbing
from vigie_runtime.migrations import upgrade

RESULTS = Path(__file__).parent / "results" / "reports.json"
TENANT, SUBSIDIARY = "t_bench", "s0"
ZONE = ZoneInfo("Europe/Paris")
BRANDS = [f"b{i}" for i in range(10)]
COMPETITORS = ["c0", "c1", "c2"]
DAYS = 100
MENTIONS_PER_DAY = 60
RETENTION = timedelta(days=35)
TEXTS = [
    ("I love the new roast, wonderful", "en"),
    ("awful service today, terrible", "en"),
    ("the shop on main street opened", "en"),
    ("is the shop open on Sunday?", "en"),
    ("j'adore ce café, excellent", "fr"),
    ("service horrible, je suis déçu", "fr"),
    ("vous livrez à Lyon ?", "fr"),
    ("nouvelle boutique rue de Rivoli", "fr"),
]
RENDERERS: dict[str, Callable[[Report], bytes]] = {"pdf": render_pdf, "csv": render_csv}


def local_midnight(moment: datetime) -> datetime:
    day = moment.astimezone(ZONE).date()
    return datetime(day.year, day.month, day.day, tzinfo=ZONE).astimezone(UTC)


def days_before(end: datetime, days: int) -> datetime:
    day = end.astimezone(ZONE).date() - timedelta(days=days)
    return datetime(day.year, day.month, day.day, tzinfo=ZONE).astimezone(UTC)


async def directory(plumbing: Plumbing, now: datetime) -> None:
    """The directory's replicas: the subsidiary, its own brands and their competitors."""
    async with plumbing.uow() as uow:
        uow.session.add(
            KnownSubsidiaryRow(
                tenant=TENANT,
                id=SUBSIDIARY,
                display_name="France",
                country="FR",
                locale="fr-FR",
                time_zone=ZONE.key,
                data_region="eu",
                updated_at=now,
            )
        )
        for brand in BRANDS + COMPETITORS:
            own = brand in BRANDS
            uow.session.add(
                KnownBrandRow(
                    tenant=TENANT,
                    id=brand,
                    subsidiary_id=SUBSIDIARY,
                    display_name=brand,
                    kind="own" if own else "competitor",
                    aliases=[],
                    competitors=COMPETITORS if own else [],
                    deleted=False,
                    updated_at=now,
                )
            )
        await uow.commit()


def accounts() -> list[tuple[str, str, bool]]:
    """(account, brand, owned): 5 owned accounts per own brand, 2 tracked per competitor."""
    owned = [
        (f"tenants/{TENANT}/brands/{b}/socialAccounts/{b}-{n}", b, True)
        for b in BRANDS
        for n in range(5)
    ]
    tracked = [
        (f"tenants/{TENANT}/brands/{c}/trackedAccounts/{c}-{n}", c, False)
        for c in COMPETITORS
        for n in range(2)
    ]
    return owned + tracked


def snapshot(
    account: tuple[str, str, bool], index: int, at: datetime, start: datetime, posts: list[Any]
) -> SnapshotFacts:
    name, brand, owned = account
    days = (at - start) / timedelta(days=1)
    followers = 2000 + 100 * index + int(days * (2 + index % 5))
    return SnapshotFacts(
        tenant=TENANT,
        account=name,
        brand_id=brand,
        subsidiary_id=SUBSIDIARY,
        network=1,
        handle=f"@{name.rsplit('/', 1)[1]}.bsky.social",
        owned=owned,
        time_zone=ZONE.key,
        time=at,
        followers=followers,
        following=150,
        posts=int(days * 3),
        recent_posts=posts,
    )


def day_posts(name: str, day: datetime, rng: random.Random, now: datetime) -> list[PostReading]:
    return [
        PostReading(
            uri=f"at://{name.rsplit('/', 1)[1]}/{day:%Y%m%d}-{n}",
            url="",
            text=f"post {n} of the day",
            create_time=day + timedelta(hours=8 + 5 * n),
            likes=rng.randrange(80),
            reposts=rng.randrange(15),
            replies=rng.randrange(8),
            quotes=rng.randrange(3),
            impressions=-1,
            reply_to_uri="",
        )
        for n in range(3)
        if day + timedelta(hours=8 + 5 * n) < now
    ]


async def load_presence(plumbing: Plumbing, now: datetime, start: datetime) -> None:
    rng = random.Random(7)
    for index, account in enumerate(accounts()):
        batch = []
        for d in range(DAYS + 1):
            day = days_before(now, DAYS - d)
            first, last = day + timedelta(minutes=2), day + timedelta(hours=23, minutes=57)
            if first < now:
                batch.append(snapshot(account, index, first, start, []))
            posts = day_posts(account[0], day, rng, now)
            batch.append(snapshot(account, index, min(last, now), start, posts))
        # The last day's 5-minute rows up to now.
        moment = local_midnight(now) + timedelta(minutes=1)
        while moment < now:
            batch.append(snapshot(account, index, moment, start, []))
            moment += timedelta(minutes=5)
        async with plumbing.uow() as uow:
            await record_snapshots(uow, batch, RETENTION)
            await uow.commit()


async def load_mentions(
    plumbing: Plumbing, scorer: Scorer, now: datetime, settings: Settings
) -> int:
    rng, params, count = random.Random(11), settings.crisis_params(), 0
    for d in range(DAYS + 1):
        day = days_before(now, DAYS - d)
        span = (min(day + timedelta(days=1), now) - day).total_seconds()
        for brand in BRANDS + COMPETITORS:
            mentions = []
            for n in range(MENTIONS_PER_DAY):
                text, language = TEXTS[rng.randrange(len(TEXTS))]
                mentions.append(
                    MentionFacts(
                        tenant=TENANT,
                        brand_id=brand,
                        mention_id=f"{day:%Y%m%d}-{n}",
                        subsidiary_id=SUBSIDIARY,
                        language=language,
                        country="FR",
                        source="bluesky",
                        author_handle=f"@fan{rng.randrange(5000)}",
                        followers=rng.randrange(20, 20_000),
                        text=text,
                        publish_time=day + timedelta(seconds=rng.uniform(0, span)),
                    )
                )
            async with plumbing.uow() as uow:
                with uow.session.no_autoflush:
                    keys = [(m.tenant, m.brand_id, m.mention_id) for m in mentions]
                    await scoring.remember_scored(uow, keys)
                    for m, key in zip(mentions, keys, strict=True):
                        await scoring.score_mention(uow, scorer, params, m)
                        uri = f"at://fan/{brand}-{m.mention_id}"
                        await questions.record_if_question(
                            uow, key, uri, m.text, m.language, m.publish_time
                        )
                await uow.commit()
            count += len(mentions)
    return count


async def load_crises(plumbing: Plumbing, now: datetime) -> None:
    steps = [
        (TransitionKind.OPENED, Severity.MINOR),
        (TransitionKind.ESCALATED, Severity.MAJOR),
        (TransitionKind.RESOLVED, Severity.MAJOR),
    ]
    for brand in BRANDS:
        async with plumbing.uow() as uow:
            watch = await uow.session.get(CrisisWatchRow, (TENANT, brand))
            assert watch is not None, "the mentions made the brand's watch"
            watch.crisis_id = None
            for kind, severity in steps:
                transition = Transition(
                    kind,
                    now,
                    now - timedelta(minutes=30),
                    severity,
                    Signal.NEGATIVE,
                    observed=40,
                    expected=6.0,
                    ratio=6.7,
                    surprise=5.1,
                )
                await crises.apply(uow, watch, transition)
            await uow.commit()


async def load_campaigns(plumbing: Plumbing, now: datetime) -> None:
    stamp = Timestamp()
    stamp.FromDatetime(now)
    for n in range(20):
        brand = f"tenants/{TENANT}/brands/{BRANDS[n % len(BRANDS)]}"
        event = partnerships_events.CampaignResultsUpdated(
            results=partnerships.CampaignResults(
                name=f"tenants/{TENANT}/campaigns/k{n}/results",
                mentions=100 + n,
                reach=40_000 + 1000 * n,
                engagements=1_500 + n,
                spend=partnerships.Money(amount="800.00", currency_code="EUR"),
                revenue=partnerships.Money(amount="1200.00", currency_code="EUR"),
                roi="0.5000",
                compute_time=stamp,
            ),
            campaign=f"tenants/{TENANT}/campaigns/k{n}",
            campaign_display_name=f"Campaign {n}",
            brand=brand,
            brands=[brand],
        )
        async with plumbing.uow() as uow:
            await campaign_results.apply_results(uow, TENANT, event)
            await uow.commit()


async def load(plumbing: Plumbing, settings: Settings, now: datetime) -> dict[str, Any]:
    figures: dict[str, Any] = {}
    await directory(plumbing, now)
    started = time.perf_counter()
    await load_presence(plumbing, now, days_before(now, DAYS))
    figures["presence_load_s"] = round(time.perf_counter() - started, 1)
    scorer = Scorer.named(settings.sentiment_model)
    await scorer.prepare(TEXTS)  # as the consumer scores a batch's texts ahead
    started = time.perf_counter()
    figures["mentions"] = await load_mentions(plumbing, scorer, now, settings)
    figures["mentions_load_s"] = round(time.perf_counter() - started, 1)
    await load_crises(plumbing, now)
    await load_campaigns(plumbing, now)
    return figures


async def timed(
    plumbing: Plumbing, brand: str, days: int, fmt: str, end: datetime, repeat: int
) -> dict[str, Any]:
    period = (days_before(end, days), end)
    totals, gathers, size = [], [], 0
    for n in range(repeat + 1):
        started = time.perf_counter()
        async with plumbing.uow() as uow:
            subject = await subject_of(uow, TENANT, brand, SUBSIDIARY)
            figures = await report_data.gather(uow, subject, period)
        gathered = time.perf_counter()
        content = await asyncio.to_thread(RENDERERS[fmt], figures)
        if n >= 1:  # one warm-up
            totals.append((time.perf_counter() - started) * 1000)
            gathers.append((gathered - started) * 1000)
            size = len(content)
    return {**_quantiles(totals), "gather_p50_ms": _quantiles(gathers)["p50_ms"], "bytes": size}


def _quantiles(samples: list[float]) -> dict[str, Any]:
    ordered = sorted(samples)
    pick = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))]  # noqa: E731
    return {
        "p50_ms": round(pick(0.5), 1),
        "p95_ms": round(pick(0.95), 1),
        "mean_ms": round(statistics.fmean(samples), 1),
        "n": len(samples),
    }


async def measure(url: str, repeat: int) -> dict[str, Any]:
    await asyncio.to_thread(upgrade, MIGRATIONS, url)
    settings = Settings(database_url=url)
    plumbing = Plumbing("reputation", settings, RUNTIME_TABLES)
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    end = local_midnight(now + timedelta(days=1))
    try:
        result = await load(plumbing, settings, now)
        print("loaded", json.dumps(result), flush=True)
        for subject, brand in (("brand", BRANDS[0]), ("subsidiary", "")):
            for label, days in (("month", 30), ("quarter", 91)):
                for fmt in ("pdf", "csv"):
                    key = f"{subject}_{label}_{fmt}"
                    result[key] = await timed(plumbing, brand, days, fmt, end, repeat)
                    print(key, result[key], flush=True)
        return result
    finally:
        await plumbing.close()


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()
    results: dict[str, Any] = {
        "subsidiary": "1 (Europe/Paris, fr-FR), 10 own brands and 3 competitors",
        "accounts": len(accounts()),
        "days": DAYS,
        "mentions_per_brand_per_day": MENTIONS_PER_DAY,
        "posts_per_account_per_day": 3,
        "loaded_through": "presence_store.record_snapshots, scoring.score_mention + "
        "questions.record_if_question (real sentiment model), crises.apply, "
        "campaign_results.apply_results",
        "timed": "report_data.gather in a unit of work, then render_pdf or render_csv",
        "load_average_before": os.getloadavg(),
    }
    if args.backend in ("sqlite", "both"):
        with tempfile.TemporaryDirectory() as folder:
            url = f"sqlite+aiosqlite:///{folder}/bench.sqlite"
            results["sqlite"] = await measure(url, args.repeat)
    if args.backend in ("postgresql", "both"):
        base = os.environ.get(
            "VIGIE_BENCH_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
        )
        url = await bench_database(base, "vigie_bench_reports")
        try:
            results["postgresql"] = await measure(url, args.repeat)
        finally:
            await bench_database(base, "vigie_bench_reports", "drop")
    results["load_average_after"] = os.getloadavg()
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    print(f"wrote {RESULTS}")


if __name__ == "__main__":
    asyncio.run(main())
