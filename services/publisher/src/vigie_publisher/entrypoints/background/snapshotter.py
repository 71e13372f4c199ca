"""The worker's snapshotter: every interval, a snapshot of each due account."""

import asyncio
import logging
from datetime import timedelta

from vigie_runtime.host import Loop

from vigie_publisher.app.snapshots import Snapshotter

log = logging.getLogger(__name__)


def snapshot_loop(snapshotter: Snapshotter, interval: timedelta) -> Loop:
    async def run(stop: asyncio.Event) -> None:
        while not stop.is_set():
            try:
                taken = await snapshotter.snapshot_due(interval)
                log.info("snapshots taken: %d", taken)
            except Exception:  # a bad round must not stop the next ones
                log.exception("snapshot round failed; next in %s", interval)
            try:
                await asyncio.wait_for(stop.wait(), interval.total_seconds())
            except TimeoutError:
                pass

    return run
