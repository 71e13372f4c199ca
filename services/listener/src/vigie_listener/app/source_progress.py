"""A connector's progress: the mentions of one batch, its cursor and its health, committed
together, so a restart resumes exactly after the last batch it captured."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import httpx
from vigie_runtime.outbound import outbound_transport
from vigie_runtime.uow import UnitOfWork

from vigie_listener.adapters.orm import SourceRow
from vigie_listener.app.capture import Capture, CaptureSource
from vigie_listener.app.common import now
from vigie_listener.domain.items import SourceItem

NETWORKS = {1: "bluesky", 2: "mastodon", 3: "rss", 4: "partner", 5: "replay"}


@dataclass(frozen=True)
class Progress:
    cursor: str
    skipped: int = 0
    # The source was read without trouble: its last error no longer describes it.
    recovered: bool = False


class SourceProgress:
    def __init__(
        self, uow: Callable[[], UnitOfWork], capture: Capture, allow_private_outbound: bool = True
    ) -> None:
        self._uow = uow
        self._capture = capture
        self._allow_private_outbound = allow_private_outbound

    def transport(self) -> httpx.AsyncBaseTransport:
        """For a connector's HTTP client: the addresses it calls were chosen by a tenant."""
        return outbound_transport(self._allow_private_outbound)

    async def load(self, source_id: str) -> SourceRow | None:
        async with self._uow() as uow:
            return await uow.session.get(SourceRow, source_id)

    async def captured(
        self, source_id: str, items: Sequence[SourceItem], progress: Progress
    ) -> int:
        """Captures the items and stores the cursor in one transaction; the mentions stored."""
        async with self._uow() as uow:
            row = await uow.session.get(SourceRow, source_id)
            if row is None:
                return 0  # deleted while running: nothing to resume any more
            where = CaptureSource(row.id, row.kind, row.tenant, NETWORKS.get(row.kind, ""))
            await self._capture.matcher.refresh(uow)
            result = await self._capture.capture(uow, where, items)
            moment = now()
            row.cursor = progress.cursor
            row.captured_count += len(result.stored)
            row.skipped_count += progress.skipped + len(result.refused)
            row.checked_at = moment
            if progress.recovered:
                row.last_error = ""
            if items:
                row.last_item_at = moment
            await uow.commit()
            return len(result.stored)

    async def failed(self, source_id: str, error: str) -> None:
        async with self._uow() as uow:
            row = await uow.session.get(SourceRow, source_id)
            if row is not None:
                row.error_count += 1
                row.last_error = error[:2000]
                row.checked_at = now()
                await uow.commit()
