"""When an account's next snapshot is due: from the time of its last one, as stored, so a
restarted snapshotter neither skips an account nor takes the same snapshot twice."""

from datetime import datetime, timedelta

MIN_INTERVAL = timedelta(minutes=5)


def is_due(last_snapshot: datetime | None, now: datetime, interval: timedelta) -> bool:
    return last_snapshot is None or now - last_snapshot >= interval


def due_if_taken_before(now: datetime, interval: timedelta) -> datetime:
    """The same rule as a bound for a query: due when the last snapshot is at or before it."""
    return now - interval
