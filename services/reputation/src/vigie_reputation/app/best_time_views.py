"""Best-times rows -> the BestTimes resource, for the API and the event alike."""

import numpy as np
from vigie.reputation.v1 import resources_pb2 as pb

from vigie_reputation.adapters.orm import BestTimesRow
from vigie_reputation.app.views import brand_name, stamp
from vigie_reputation.domain.best_times import BestTimeParams, best_slots, weekday_and_minute

# The event carries enough slots for a publisher's queue to propose a week of distinct moments.
EVENT_SLOTS = 50
SUFFIX = "/bestTimes"


def account_name(row: BestTimesRow) -> str:
    return f"{brand_name(row.tenant, row.brand_id)}/socialAccounts/{row.account_id}"


def best_times(row: BestTimesRow, count: int, params: BestTimeParams) -> pb.BestTimes:
    scores = np.array(row.scores, dtype=np.float64)
    slots = []
    for slot in best_slots(scores, count, params.min_gap_minutes):
        weekday, minute = weekday_and_minute(slot)
        slots.append(pb.WeekSlot(weekday=weekday, minute_of_day=minute, score=float(scores[slot])))
    account = account_name(row)
    return pb.BestTimes(
        name=account + SUFFIX,
        account=account,
        brand=brand_name(row.tenant, row.brand_id),
        time_zone=row.time_zone,
        slots=slots,
        basis=row.basis,
        posts_used=row.posts_used,
        aggregate_posts_used=row.aggregate_posts_used,
        explanation=row.explanation,
        compute_time=stamp(row.compute_time),
    )
