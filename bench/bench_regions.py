"""Delay from a mention captured in one data region to the group view of another.

Two regions (eu, us) as in tests/regions: each its own nats-server (JetStream domain) joined to a
hub as a leaf node, its own database and reputation service. One mention at a time is captured
in us; the bench polls (every 20 ms) the us brand's own measures (the region's own path: scoring
and measures) and the eu group view (`brands/-`, which counts us only through the aggregates that
crossed the hub). Reports p50/max of both, and of their difference (the cross-region part).

    uv run python bench/bench_regions.py [--samples 30]   (SQLite + embedded NATS servers)
    VIGIE_TEST_POSTGRES_URL=postgresql+asyncpg://... uv run python bench/bench_regions.py
"""

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the two-region world of tests/regions

from google.protobuf.timestamp_pb2 import Timestamp  # noqa: E402
from vigie.reputation.v1 import reputation_pb2 as rpc  # noqa: E402
from vigie.reputation.v1 import resources_pb2 as pb  # noqa: E402

from tests.regions.region_world import BRAND, TENANT, Region, running_world  # noqa: E402

POLL_SECONDS = 0.02
DEADLINE_SECONDS = 60.0


def stamp(moment: datetime) -> Timestamp:
    result = Timestamp()
    result.FromDatetime(moment)
    return result


async def volume(region: Region, brand: str) -> int:
    now = datetime.now(UTC)
    request = rpc.GetMeasuresRequest(
        brand=f"tenants/{TENANT}/brands/{brand}",
        start_time=stamp(now - timedelta(hours=2)),
        end_time=stamp(now + timedelta(hours=1)),
        granularity=pb.GRANULARITY_HOUR,
    )
    response = await region.stub.GetMeasures(request, metadata=region.admin())
    return sum(p.volume for s in response.series for p in s.points)


async def seen_at(region: Region, brand: str, count: int, started: float) -> float:
    while time.monotonic() - started < DEADLINE_SECONDS:
        if await volume(region, brand) >= count:
            return time.monotonic() - started
        await asyncio.sleep(POLL_SECONDS)
    raise TimeoutError(f"{brand} in {region.name} never reached {count}")


def summary(values: list[float]) -> dict[str, float]:
    ms = sorted(v * 1000 for v in values)
    return {"p50_ms": round(statistics.median(ms), 1), "max_ms": round(ms[-1], 1)}


async def run(samples: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as folder:
        async with running_world(Path(folder), tapped="") as world:
            eu, us = world.regions["eu"], world.regions["us"]
            # The brand replicas and the group stream are ready once a first mention crossed.
            await us.capture("warm-up", "love it", "@bench", datetime.now(UTC))
            await seen_at(eu, "-", 1, time.monotonic())
            local, group = [], []
            for i in range(samples):
                started = time.monotonic()
                await us.capture(f"m{i}", "awful, I hate it", "@bench", datetime.now(UTC))
                own, across = await asyncio.gather(
                    seen_at(us, BRAND["us"], i + 2, started), seen_at(eu, "-", i + 2, started)
                )
                local.append(own)
                group.append(across)
    return {
        "samples": samples,
        "backend": "postgresql" if os.environ.get("VIGIE_TEST_POSTGRES_URL") else "sqlite",
        "poll_ms": POLL_SECONDS * 1000,
        "load_average": [round(v, 1) for v in os.getloadavg()],
        "capture_to_own_region_measures": summary(local),
        "capture_to_other_region_group_view": summary(group),
        "cross_region_part": summary([g - o for g, o in zip(group, local, strict=True)]),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--samples", type=int, default=30)
    parser.add_argument("--output", default=str(ROOT / "bench" / "results" / "regions.json"))
    args = parser.parse_args()
    result = asyncio.run(run(args.samples))
    print(json.dumps(result, indent=2))
    # One file, one entry per backend: a run of one keeps the other's figures.
    output = Path(args.output)
    results = json.loads(output.read_text()) if output.exists() else {}
    results[result["backend"]] = result
    output.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
