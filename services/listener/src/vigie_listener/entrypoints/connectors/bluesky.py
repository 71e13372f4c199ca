"""The Bluesky connector of one source: the firehose from the stored cursor, each batch
captured with its cursor in one transaction; errors counted, then a reconnection with backoff."""

import asyncio
import logging

from vigie_listener.adapters.bluesky_firehose import BlueskyFirehose, HandleCache
from vigie_listener.adapters.bluesky_items import as_item
from vigie_listener.app.source_progress import Progress, SourceProgress
from vigie_listener.entrypoints.connectors.stopping import until_stopped

log = logging.getLogger(__name__)


async def run_bluesky(progress: SourceProgress, source_id: str, stop: asyncio.Event) -> None:
    delay = 0.5
    while not stop.is_set():
        row = await progress.load(source_id)
        if row is None or not row.enabled:
            return
        relay = str(row.config.get("relay_url", ""))
        cursor = int(row.cursor) if row.cursor.isdigit() else None
        handles = HandleCache(relay.replace("ws", "http", 1))
        try:
            async with BlueskyFirehose(relay, cursor=cursor, handles=handles) as firehose:
                skipped = 0
                while (batch := await until_stopped(anext(firehose), stop)) is not None:
                    health = firehose.health
                    bad = health.malformed_frames + health.malformed_records
                    items = [as_item(post) for post in batch.posts]
                    step = Progress(str(batch.cursor), bad - skipped)
                    await progress.captured(source_id, items, step)
                    skipped, delay = bad, 0.5
        except Exception as error:  # a connector never dies: it counts, waits and resumes
            log.warning("bluesky source %s failed; resuming", source_id, exc_info=True)
            await progress.failed(source_id, f"{type(error).__name__}: {error}")
            await asyncio.sleep(delay)
            delay = min(delay * 2, 30.0)
        finally:
            await handles.aclose()
