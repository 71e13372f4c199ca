"""What follows a brand's 5-minute bucket closing: its index recomputed, announced with
`index.updated` when it moved, and the alert rules on its measures judged.

`index.updated` is emitted per bucket, not per mention, and only when the index moved by
INDEX_STEP points or more since the last announcement (or was never announced): subscribers get
at most one event per brand every 5 minutes, and none while nothing changes. The buckets counted
so far in the transaction are written first, so the index and the windows see every mention
scored. The event and the value announced are written in the transaction that closes the bucket,
so a redelivered mention (skipped by the inbox) never announces twice.
"""

from datetime import datetime

from vigie.reputation.v1 import events_pb2
from vigie_runtime.uow import UnitOfWork

from vigie_reputation.adapters.measure_store import write_pending_now
from vigie_reputation.adapters.orm import CrisisWatchRow
from vigie_reputation.app import measure_alerts
from vigie_reputation.app.access import subsidiary_name
from vigie_reputation.app.events import INDEX_UPDATED
from vigie_reputation.app.index import index_of
from vigie_reputation.app.views import brand_name

INDEX_STEP = 0.5


async def after_bucket(uow: UnitOfWork, watch: CrisisWatchRow, end: datetime) -> None:
    await write_pending_now(uow.session)
    brand = brand_name(watch.tenant, watch.brand_id)
    index = await index_of(uow, watch.tenant, [watch.brand_id], brand, end)
    last = watch.index_value
    if last is None or abs(index.value - last) >= INDEX_STEP:
        watch.index_value = index.value
        subsidiary = subsidiary_name(watch.tenant, watch.subsidiary_id)
        updated = events_pb2.IndexUpdated(
            index=index, subsidiary=subsidiary if watch.subsidiary_id else ""
        )
        uow.emit(INDEX_UPDATED, watch.tenant, updated)
    await measure_alerts.judge(uow, watch, end, index.value)
