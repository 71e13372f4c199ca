"""The detector's whole memory for one brand, as a plain object that round-trips through a dict.

The dict holds only JSON types (datetimes as ISO 8601 strings), so the service can persist it
between buckets in a JSON column.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from vigie_reputation.domain.crisis.baseline import SeasonalBaseline
from vigie_reputation.domain.crisis.lifecycle import Incident, Lifecycle
from vigie_reputation.domain.crisis.peaks import DailyPeaks
from vigie_reputation.domain.crisis.severity import Severity
from vigie_reputation.domain.crisis.signal import Signal, SignalTrack

STATE_VERSION = 1


@dataclass
class CrisisState:
    last_bucket: datetime | None = None
    buckets_seen: int = 0
    total: SignalTrack = field(default_factory=SignalTrack)
    negative: SignalTrack = field(default_factory=SignalTrack)
    lifecycle: Lifecycle = field(default_factory=Lifecycle)

    def to_dict(self) -> dict[str, Any]:
        incident = self.lifecycle.incident
        return {
            "version": STATE_VERSION,
            "last_bucket": _iso(self.last_bucket),
            "buckets_seen": self.buckets_seen,
            "total": asdict(self.total),
            "negative": asdict(self.negative),
            "lifecycle": {
                "cooldown_left": self.lifecycle.cooldown_left,
                "incident": None
                if incident is None
                else {
                    "opened_at": incident.opened_at.isoformat(),
                    "signal": incident.signal.value,
                    "severity": incident.severity.name.lower(),
                    "quiet": incident.quiet,
                },
            },
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CrisisState:
        if data.get("version") != STATE_VERSION:
            raise ValueError(f"unknown crisis state version {data.get('version')!r}")
        lifecycle = data["lifecycle"]
        incident = lifecycle["incident"]
        return cls(
            last_bucket=None
            if data["last_bucket"] is None
            else datetime.fromisoformat(data["last_bucket"]),
            buckets_seen=data["buckets_seen"],
            total=_track(data["total"]),
            negative=_track(data["negative"]),
            lifecycle=Lifecycle(
                incident=None
                if incident is None
                else Incident(
                    opened_at=datetime.fromisoformat(incident["opened_at"]),
                    signal=Signal(incident["signal"]),
                    severity=Severity[incident["severity"].upper()],
                    quiet=incident["quiet"],
                ),
                cooldown_left=lifecycle["cooldown_left"],
            ),
        )


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()


def _track(data: dict[str, Any]) -> SignalTrack:
    baseline = data["baseline"]
    return SignalTrack(
        baseline=SeasonalBaseline(
            slots=[list(slot) for slot in baseline["slots"]],
            recent_volumes=list(baseline["recent_volumes"]),
            recent_ratios=list(baseline["recent_ratios"]),
        ),
        peaks=DailyPeaks(
            day=data["peaks"]["day"],
            today=data["peaks"]["today"],
            past=list(data["peaks"]["past"]),
        ),
        window=[list(row) for row in data["window"]],
    )
