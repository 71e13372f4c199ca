"""The replay connector: a file of texts (one per line) played at a chosen rate, for demos
and benchmarks. `speed` is items per second (0: as fast as the pipeline takes them); the
cursor is the number of lines already captured, so a restart goes on where it stopped."""

import asyncio
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from itertools import islice
from pathlib import Path

from vigie_listener.app.source_progress import Progress, SourceProgress
from vigie_listener.domain.items import SourceItem

TICK_S = 0.02
MAX_BATCH = 500


def _lines(path: Path, start: int) -> Iterator[tuple[int, str]]:
    # Bytes that are not UTF-8 become lone surrogates, which capture replaces with U+FFFD.
    with path.open(encoding="utf-8", errors="surrogateescape") as lines:
        for number, line in enumerate(lines):
            if number >= start:
                yield number, line.rstrip("\n")


def _batch_size(speed: float) -> int:
    return MAX_BATCH if speed <= 0 else max(1, min(MAX_BATCH, round(speed * TICK_S)))


async def run_replay(progress: SourceProgress, source_id: str, stop: asyncio.Event) -> None:
    row = await progress.load(source_id)
    if row is None or not row.enabled:
        return
    path = Path(str(row.config.get("uri", "")).removeprefix("file://"))
    if not await asyncio.to_thread(path.is_file):
        await progress.failed(source_id, f"replay file {path} does not exist")
        return
    speed = float(str(row.config.get("speed", 0) or 0))
    size = _batch_size(speed)
    lines = _lines(path, int(row.cursor) if row.cursor.isdigit() else 0)
    started, sent = time.monotonic(), 0
    while not stop.is_set() and (chunk := list(islice(lines, size))):
        moment = datetime.now(UTC)
        items = [SourceItem(f"line-{n}", text, moment) for n, text in chunk if text.strip()]
        await progress.captured(source_id, items, Progress(str(chunk[-1][0] + 1)))
        sent += len(chunk)
        if speed > 0:  # hold the rate: wait until this many items are due
            await asyncio.sleep(max(0.0, started + sent / speed - time.monotonic()))
