"""The engagement inbox's reads on a large inbox: a page of a subsidiary's items most urgent
first (first page, a deep page, filtered by label and status), and response times over the
whole window, on SQLite (a file) through the listener's own handlers.

Run: `uv run python bench/bench_inbox.py [--items 20000]`. Prints the median and p90 of each
read and writes `bench/results/inbox.json`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from random import Random

from google.protobuf.timestamp_pb2 import Timestamp
from sqlalchemy import insert
from vigie.listener.v1 import inbox_pb2 as rpc
from vigie_listener.adapters.orm import RUNTIME_TABLES, Base, InboxItemRow, InboxLabelRow
from vigie_listener.app import inbox_items, inbox_measures
from vigie_listener.domain import urgency
from vigie_runtime.database import create_engine, session_factory
from vigie_runtime.principal import Principal, Role, RoleGrant
from vigie_runtime.uow import UnitOfWork

TENANT, SUBSIDIARY = "t_bench", "tenants/t_bench/subsidiaries/fr"
WHO = Principal("tenants/t_bench/members/m", TENANT, grants=(RoleGrant(Role.ANALYST, SUBSIDIARY),))
START = datetime(2026, 3, 1, tzinfo=UTC)


def _rows(count: int) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    rng = Random(7)
    items, labels = [], []
    for n in range(count):
        opened = START + timedelta(minutes=n * 2)
        followers, sentiment = rng.choice([0, 120, 5_000, 80_000]), rng.choice(["", "NEGATIVE"])
        base = urgency.base(followers, sentiment, False)
        status = rng.choice([1, 1, 2, 3, 4])
        answered = opened + timedelta(seconds=rng.randint(30, 7200)) if status >= 3 else None
        item_id = f"{n:026d}"
        items.append({
            "id": item_id, "tenant": TENANT, "brand_id": f"b{n % 5}", "subsidiary_id": "fr",
            "mention_id": item_id, "reasons": [1], "reason_mask": 2, "followers": followers,
            "sentiment": sentiment, "crisis_id": "", "base_urgency": base,
            "rank_key": urgency.rank_key(base, opened), "status": status,
            "assignee_id": "", "labels": ["vip"] if n % 50 == 0 else [], "note_count": 0,
            "reply": "", "responder": "", "first_response_breached": False,
            "resolution_breached": False, "opened_at": opened, "first_response_at": answered,
            "closed_at": answered + timedelta(hours=1) if answered and status == 4 else None,
            "updated_at": opened, "version": 1,
        })  # fmt: skip
        if n % 50 == 0:
            labels.append({"tenant": TENANT, "item_id": item_id, "label": "vip"})
    return items, labels


async def _timed(uow_of: object, step: object, runs: int) -> dict[str, float]:
    durations = []
    for _ in range(runs):
        started = time.perf_counter()
        async with uow_of() as uow:  # type: ignore[operator]
            await step(uow)  # type: ignore[operator]
        durations.append((time.perf_counter() - started) * 1000)
    durations.sort()
    return {"p50_ms": round(statistics.median(durations), 2),
            "p90_ms": round(durations[int(0.9 * (len(durations) - 1))], 2)}  # fmt: skip


async def main(count: int, runs: int) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as folder:
        engine = create_engine(f"sqlite+aiosqlite:///{folder}/inbox.sqlite")
        async with engine.begin() as connection:
            await connection.run_sync(Base.metadata.create_all)
            items, labels = _rows(count)
            await connection.execute(insert(InboxItemRow), items)
            await connection.execute(insert(InboxLabelRow), labels)
        sessions = session_factory(engine)

        def uow_of() -> UnitOfWork:
            return UnitOfWork(sessions, RUNTIME_TABLES)

        first = rpc.ListInboxItemsRequest(parent=SUBSIDIARY, page_size=50)
        async with uow_of() as uow:
            token = ""
            for _ in range(20):  # the 21st page
                _, token = await inbox_items.list_(uow, WHO, rpc.ListInboxItemsRequest(
                    parent=SUBSIDIARY, page_size=50, page_token=token))  # fmt: skip
        deep = rpc.ListInboxItemsRequest(parent=SUBSIDIARY, page_size=50, page_token=token)
        filtered = rpc.ListInboxItemsRequest(
            parent=SUBSIDIARY, page_size=50, label="vip", statuses=[1, 2]
        )
        window = rpc.GetResponseTimesRequest(parent=SUBSIDIARY)
        window.start_time.CopyFrom(Timestamp(seconds=int(START.timestamp())))
        window.end_time.CopyFrom(Timestamp(seconds=int((START + timedelta(days=365)).timestamp())))
        figures = {
            "items": count,
            "first_page": await _timed(uow_of, lambda u: inbox_items.list_(u, WHO, first), runs),
            "page_21": await _timed(uow_of, lambda u: inbox_items.list_(u, WHO, deep), runs),
            "label_and_status": await _timed(
                uow_of, lambda u: inbox_items.list_(u, WHO, filtered), runs
            ),
            "response_times_all": await _timed(
                uow_of, lambda u: inbox_measures.response_times(u, WHO, window), max(3, runs // 10)
            ),
        }
        await engine.dispose()
    return figures


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    result = asyncio.run(main(args.items, args.runs))
    for key, value in result.items():
        print(f"{key:20} {value}")
    out = Path(__file__).parent / "results" / "inbox.json"
    out.write_text(json.dumps(result, indent=2) + "\n")
