"""Fault injection for the exactly-once tests: the process kills itself (SIGKILL, no cleanup)
when the dispatcher reaches a named point. Off unless `PUBLISHER_FAULT_KILL_AT` names points;
refused in production by the settings."""

import os
import signal

# After the claim is committed, before any network call.
CLAIMED = "claimed"
# After the network confirmed the post, before the database records it.
CONFIRMED = "confirmed"
# After the outcome is committed.
RECORDED = "recorded"
POINTS = (CLAIMED, CONFIRMED, RECORDED)


class Faults:
    def __init__(self, kill_at: str = "") -> None:
        self._points = {p.strip() for p in kill_at.split(",") if p.strip()}
        unknown = self._points - set(POINTS)
        if unknown:
            raise ValueError(f"unknown fault points {sorted(unknown)}; known: {POINTS}")

    def reached(self, point: str) -> None:
        if point in self._points:
            os.kill(os.getpid(), signal.SIGKILL)
