"""The replica of the reputation service's best times of each owned account: the last
computation wins, whatever order the events arrive in, and a redelivery changes nothing."""

from vigie.reputation.v1 import resources_pb2 as reputation
from vigie_runtime.uow import UnitOfWork

from vigie_publisher.adapters.orm import BestTimesRow
from vigie_publisher.app.common import utc
from vigie_publisher.app.names import SOCIAL_ACCOUNT


async def best_times_updated(uow: UnitOfWork, tenant: str, best: reputation.BestTimes) -> bool:
    """Applies the event; False when the replica already holds this or a newer computation."""
    owner, brand_id, account_id = SOCIAL_ACCOUNT.parse(best.account)
    if owner != tenant:
        # Another tenant's account in this tenant's event: never applied.
        raise ValueError(f"best times of tenant {tenant} name {best.account}")
    computed_at = utc(best.compute_time.ToDatetime())
    row = await uow.session.get(BestTimesRow, (tenant, account_id), with_for_update=True)
    if row is not None and utc(row.computed_at) >= computed_at:
        return False
    if row is None:
        row = BestTimesRow(tenant=tenant, account_id=account_id)
        uow.session.add(row)
    row.brand_id, row.time_zone, row.basis = brand_id, best.time_zone, best.basis
    row.slots = [[s.weekday, s.minute_of_day, s.score] for s in best.slots]
    row.explanation, row.computed_at = list(best.explanation), computed_at
    return True
