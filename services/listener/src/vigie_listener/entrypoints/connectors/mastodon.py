"""The Mastodon connector of one source (one instance, one timeline): the stream is opened
first, then the REST timeline is read from the stored cursor up to now, then the stream goes
on; statuses not newer than the cursor are skipped. Opening the stream before catching up
leaves no gap; the cursor, stored with each capture, leaves no duplicate. A dropped stream, an
error or a 429 is counted in the source's health, then the same steps start again."""

import asyncio
import logging
from typing import Any

from vigie_listener.adapters.mastodon_client import (
    MastodonClient,
    MastodonUnavailable,
    RateLimited,
    Timeline,
)
from vigie_listener.adapters.mastodon_statuses import newer, status_item
from vigie_listener.app.source_progress import Progress, SourceProgress
from vigie_listener.entrypoints.connectors.stopping import until_stopped

log = logging.getLogger(__name__)
MAX_BACKOFF_S = 60.0


class MastodonSession:
    """One connection's worth of work for a source; `cursor` is the newest status handled."""

    def __init__(self, progress: SourceProgress, source_id: str, cursor: str) -> None:
        self._progress = progress
        self._source_id = source_id
        self.cursor = cursor

    async def keep(self, statuses: list[dict[str, Any]], skipped: int = 0) -> None:
        fresh = [s for s in statuses if newer(str(s["id"]), self.cursor)]
        if not fresh and not skipped:
            return
        cursor = max([self.cursor, *(str(s["id"]) for s in fresh)], key=lambda i: (len(i), i))
        items = [status_item(s) for s in fresh]
        await self._progress.captured(self._source_id, items, Progress(cursor, skipped))
        self.cursor = cursor

    async def catch_up(self, client: MastodonClient, timeline: Timeline) -> None:
        page = await client.page(timeline, self.cursor)
        while page.statuses:
            await self.keep(page.statuses)
            page = await client.page(timeline, self.cursor, page.newer_url)

    async def run(self, client: MastodonClient, timeline: Timeline) -> None:
        """Until the stream ends (the caller cancels it to stop)."""
        async with client.stream(timeline) as statuses:
            await self.catch_up(client, timeline)
            async for status in statuses:
                await self.keep([status] if status else [], 0 if status else 1)


async def run_mastodon(progress: SourceProgress, source_id: str, stop: asyncio.Event) -> None:
    row = await progress.load(source_id)
    if row is None or not row.enabled:
        return
    config = row.config
    timeline = Timeline(str(config.get("stream") or "public"), str(config.get("hashtag", "")))
    instance = str(config.get("instance_url", ""))
    client, delay = MastodonClient(instance, transport=progress.transport()), 1.0
    try:
        while not stop.is_set():
            row = await progress.load(source_id)
            if row is None:
                return
            session = MastodonSession(progress, source_id, row.cursor)
            try:
                await until_stopped(session.run(client, timeline), stop)
                problem, wait = "the stream ended; reconnecting", delay
            except RateLimited as limited:
                problem, wait = str(limited), limited.wait_s
            except MastodonUnavailable as error:
                problem, wait = str(error), delay
            except Exception as error:  # a connector never dies: it counts, waits and resumes
                log.warning("mastodon source %s failed; resuming", source_id, exc_info=True)
                problem, wait = f"{type(error).__name__}: {error}", delay
            if stop.is_set():
                return
            await progress.failed(source_id, f"{problem}; next attempt in {wait:.0f} s")
            delay = 1.0 if session.cursor != row.cursor else min(delay * 2, MAX_BACKOFF_S)
            try:
                await asyncio.wait_for(stop.wait(), wait)
            except TimeoutError:
                pass
    finally:
        await client.aclose()
