"""The publisher's `account.snapshotted`, for the best times: owned accounts' posts kept in the
read model, and their best times recomputed when due."""

import logging
from datetime import UTC, datetime

from vigie_runtime.events import IncomingEvent
from vigie_runtime.inbox import Subscription
from vigie_runtime.resource_names import ResourcePattern
from vigie_runtime.uow import UnitOfWork

from vigie_reputation.app import best_time_history, best_time_learning
from vigie_reputation.app.best_time_history import AccountKey
from vigie_reputation.app.events import ACCOUNT_SNAPSHOTTED
from vigie_reputation.domain.best_times import BestTimeParams

log = logging.getLogger(__name__)

BEST_TIMES_DURABLE = "reputation-best-times"

_SOCIAL_ACCOUNT = ResourcePattern("social_account", ("tenants", "brands", "socialAccounts"))
_SUBSIDIARY = ResourcePattern("subsidiary", ("tenants", "subsidiaries"))


def best_time_snapshots_subscription(params: BestTimeParams) -> Subscription:
    async def on_account_snapshotted(uow: UnitOfWork, event: IncomingEvent) -> None:
        if event.type != ACCOUNT_SNAPSHOTTED.ce_type:
            log.info("ignoring %s: not an event this version knows", event.type)
            return
        message = ACCOUNT_SNAPSHOTTED.parse(event)
        snapshot = message.snapshot
        if not snapshot.owned:
            return  # tracked accounts are measured (presence), not scheduled for
        tenant, brand_id, account_id = _SOCIAL_ACCOUNT.parse(snapshot.account, "snapshot.account")
        if tenant != event.tenant:
            # Another tenant's account in this tenant's event: never applied.
            raise ValueError(f"event {event.id} of tenant {event.tenant} names {snapshot.account}")
        subsidiary = ""
        if message.subsidiary:
            subsidiary = _SUBSIDIARY.parse(message.subsidiary, "subsidiary")[1]
        key = AccountKey(tenant, brand_id, account_id)
        await best_time_history.record_snapshot(uow, key, subsidiary, snapshot)
        await best_time_learning.recompute_if_due(uow, key, datetime.now(UTC), params)

    return Subscription(
        durable=BEST_TIMES_DURABLE,
        producer="publisher",
        subjects=[ACCOUNT_SNAPSHOTTED.subject_filter()],
        handler=on_account_snapshotted,
    )
