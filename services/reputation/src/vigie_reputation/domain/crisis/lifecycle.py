"""A crisis's life, opened -> escalated -> resolved, with hysteresis so that it does not flap.

A crisis opens on a strong condition (surprise above the signal's open bar, see `peaks`, and
volume >= `open_ratio` x baseline), stays open on a weak one (surprise >= `keep_surprise`),
resolves only after `quiet_buckets` calm buckets in a row, and cannot reopen during
`cooldown_buckets` after that.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from vigie_reputation.domain.crisis.params import CrisisParams
from vigie_reputation.domain.crisis.severity import Severity, grade
from vigie_reputation.domain.crisis.signal import Reading, Signal


class TransitionKind(StrEnum):
    OPENED = "opened"
    ESCALATED = "escalated"
    RESOLVED = "resolved"


@dataclass(frozen=True)
class Transition:
    """What changed and why: the inputs of a human explanation of the crisis."""

    kind: TransitionKind
    at: datetime  # start of the bucket that caused it
    since: datetime  # when the crisis opened
    severity: Severity
    signal: Signal  # which volume rose
    observed: int  # that volume in this bucket
    expected: float  # its baseline for this bucket
    ratio: float  # observed / baseline over the smoothing window
    surprise: float  # z-equivalent over the smoothing window


@dataclass
class Incident:
    opened_at: datetime
    signal: Signal
    severity: Severity
    quiet: int = 0  # calm buckets in a row


@dataclass
class Lifecycle:
    incident: Incident | None = None
    cooldown_left: int = 0

    def step(self, at: datetime, readings: list[Reading], params: CrisisParams) -> list[Transition]:
        if self.incident is not None:
            return self._follow(self.incident, at, readings, params)
        if self.cooldown_left > 0:
            self.cooldown_left -= 1
            return []
        alarming = [
            r for r in readings if r.surprise >= r.open_bar and r.ratio >= params.open_ratio
        ]
        if not alarming:
            return []
        reading = max(alarming, key=lambda r: r.surprise)
        self.incident = Incident(at, reading.signal, grade(reading.ratio, reading.growth))
        return [_transition(TransitionKind.OPENED, at, self.incident, reading)]

    def _follow(
        self, incident: Incident, at: datetime, readings: list[Reading], params: CrisisParams
    ) -> list[Transition]:
        active = [r for r in readings if r.surprise >= params.keep_surprise]
        if not active:
            incident.quiet += 1
            if incident.quiet < params.quiet_buckets:
                return []
            self.incident, self.cooldown_left = None, params.cooldown_buckets
            calm = next(r for r in readings if r.signal == incident.signal)
            return [_transition(TransitionKind.RESOLVED, at, incident, calm)]
        incident.quiet = 0
        reading = max(active, key=lambda r: r.ratio)
        severity = grade(reading.ratio, reading.growth)
        if severity <= incident.severity:
            return []
        incident.severity, incident.signal = severity, reading.signal
        return [_transition(TransitionKind.ESCALATED, at, incident, reading)]


def _transition(
    kind: TransitionKind, at: datetime, incident: Incident, reading: Reading
) -> Transition:
    return Transition(
        kind=kind,
        at=at,
        since=incident.opened_at,
        severity=incident.severity,
        signal=reading.signal,
        observed=reading.observed,
        expected=reading.expected,
        ratio=reading.ratio,
        surprise=reading.surprise,
    )
