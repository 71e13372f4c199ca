"""The brands capture stores mentions for, kept per process instead of read per batch.

Refreshed from the replica's `updated_at` watermark at most once a second (as the live matcher
is), re-reading a little before it, so a brand deleted stops receiving mentions within about
a second; a brand not seen yet is read at once, so a new one never misses its first mentions.
"""

import time
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, or_, select
from vigie_runtime.uow import UnitOfWork

from vigie_listener.adapters.orm import KnownBrandRow
from vigie_listener.app.common import utc

Pair = tuple[str, str]  # (tenant, brand id)
OVERLAP = timedelta(seconds=5)
_COLUMNS = (
    KnownBrandRow.tenant,
    KnownBrandRow.id,
    KnownBrandRow.subsidiary_id,
    KnownBrandRow.deleted,
    KnownBrandRow.updated_at,
)


class LiveBrands:
    def __init__(self, refresh_seconds: float = 1.0) -> None:
        # (tenant, brand id) -> its subsidiary id, or None for a deleted brand.
        self._subsidiaries: dict[Pair, str | None] = {}
        self._watermark: datetime | None = None
        self._refresh_seconds = refresh_seconds
        self._refreshed_at = float("-inf")

    async def subsidiaries(self, uow: UnitOfWork, pairs: set[Pair]) -> dict[Pair, str]:
        """The subsidiary id of each live brand among `pairs` (deleted and unknown ones left
        out)."""
        await self._refresh(uow)
        unseen = pairs - self._subsidiaries.keys()
        if unseen:
            # Not moving the watermark: rows between it and these were not all read.
            await self._read(uow, or_(*(_is(pair) for pair in unseen)), advance=False)
        found = {pair: self._subsidiaries.get(pair) for pair in pairs}
        return {pair: subsidiary for pair, subsidiary in found.items() if subsidiary}

    async def _refresh(self, uow: UnitOfWork) -> None:
        clock = time.monotonic()
        if clock - self._refreshed_at < self._refresh_seconds:
            return
        self._refreshed_at = clock
        if self._watermark is None:
            await self._read(uow, None)
        else:
            await self._read(uow, KnownBrandRow.updated_at >= self._watermark - OVERLAP)

    async def _read(
        self, uow: UnitOfWork, where: ColumnElement[bool] | None, advance: bool = True
    ) -> None:
        query = select(*_COLUMNS) if where is None else select(*_COLUMNS).where(where)
        for tenant, brand_id, subsidiary_id, deleted, updated_at in await uow.session.execute(
            query
        ):
            self._subsidiaries[(tenant, brand_id)] = None if deleted else subsidiary_id
            moment = utc(updated_at)
            if advance and (self._watermark is None or moment > self._watermark):
                self._watermark = moment


def _is(pair: Pair) -> ColumnElement[bool]:
    return and_(KnownBrandRow.tenant == pair[0], KnownBrandRow.id == pair[1])
