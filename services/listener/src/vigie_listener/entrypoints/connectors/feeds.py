"""The RSS / Atom connector of one source: the feed polled at its interval with a conditional
GET; the entries not seen before are captured with the new cursor in one transaction. Errors
are counted in the source's health and retried with exponential backoff."""

import asyncio
import logging

from vigie_listener.adapters.feeds_cursor import FeedCursor
from vigie_listener.adapters.feeds_entries import FeedPage, parse_feed
from vigie_listener.adapters.feeds_http import FeedFetcher, FeedUnavailable, Validators
from vigie_listener.app.source_progress import Progress, SourceProgress
from vigie_listener.domain.items import SourceItem
from vigie_listener.entrypoints.connectors.stopping import until_stopped

log = logging.getLogger(__name__)

DEFAULT_INTERVAL_S = 300.0
MIN_INTERVAL_S = 1.0
MAX_BACKOFF_S = 3600.0


def interval_of(config: dict[str, object]) -> float:
    given = float(str(config.get("poll_interval_seconds", 0) or 0))
    return max(MIN_INTERVAL_S, given) if given > 0 else DEFAULT_INTERVAL_S


async def _sleep(stop: asyncio.Event, seconds: float) -> None:
    try:
        await asyncio.wait_for(stop.wait(), seconds)
    except TimeoutError:
        pass


async def poll_once(
    progress: SourceProgress, source_id: str, url: str, fetcher: FeedFetcher
) -> str:
    """Fetch, capture what is new, store the cursor; the feed's problem ('' when none).
    Raises FeedUnavailable when there is nothing to read at all."""
    row = await progress.load(source_id)
    if row is None:
        return ""
    cursor = FeedCursor.parse(row.cursor)
    document = await fetcher.fetch(url, cursor.validators)
    if document.body is None:  # 304: nothing new, only the check is recorded
        await progress.captured(source_id, [], Progress(row.cursor, recovered=True))
        return ""
    page = await asyncio.to_thread(parse_feed, document.body, url, document.content_type)
    if page.unreadable:
        raise FeedUnavailable(f"unreadable feed: {page.problem}")
    await progress.captured(source_id, *_news(cursor, page, document.validators))
    return page.problem


def _news(
    cursor: FeedCursor, page: FeedPage, validators: Validators
) -> tuple[list[SourceItem], Progress]:
    """The entries not handled before, and the cursor that remembers them."""
    fresh = cursor.unseen([item.external_id for item in page.items] + list(page.skipped))
    items = [item for item in page.items if item.external_id in fresh]
    skipped = [entry_id for entry_id in page.skipped if entry_id in fresh]
    after = cursor.after(validators, [item.external_id for item in items] + skipped)
    return items, Progress(after.dump(), len(skipped), recovered=not page.problem)


async def run_feed(progress: SourceProgress, source_id: str, stop: asyncio.Event) -> None:
    row = await progress.load(source_id)
    if row is None or not row.enabled:
        return
    url, interval = str(row.config.get("feed_url", "")), interval_of(row.config)
    deadline_s = min(30.0, max(5.0, interval))
    fetcher, failures = FeedFetcher(timeout_s=deadline_s, transport=progress.transport()), 0
    try:
        while not stop.is_set():
            try:
                problem = await until_stopped(poll_once(progress, source_id, url, fetcher), stop)
                failures = 0
            except FeedUnavailable as error:
                problem, failures = str(error), failures + 1
            except Exception as error:  # a connector never dies: it counts, waits and resumes
                log.warning("feed source %s failed; resuming", source_id, exc_info=True)
                problem, failures = f"{type(error).__name__}: {error}", failures + 1
            delay = min(interval * 2**failures, max(interval, MAX_BACKOFF_S))
            if problem and not stop.is_set():
                await progress.failed(source_id, f"{problem}; next poll in {delay:.0f} s")
            await _sleep(stop, delay)
    finally:
        await fetcher.aclose()
