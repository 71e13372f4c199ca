"""What the report reads, and how a fault run is kept: the harness's JSON without its
per-fault list (1,120 entries in a soak), with the recovery figures per kind and per measure."""

import json
import statistics
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
FAULT_RUNS = ROOT / "tests" / "fault" / "results"
FUZZ = ROOT / "tests" / "fuzz" / "results" / "fuzz.json"
ABUSE = ROOT / "bench" / "results" / "abuse.json"
DOC = ROOT / "docs" / "RELIABILITY.md"
RUN_ORDER = ("short-sqlite", "short-postgres", "soak-sqlite", "soak-postgres")


@dataclass
class Inputs:
    fault_runs: dict[str, dict[str, Any]] = field(default_factory=dict)  # "soak-postgres" -> run
    fuzz: dict[str, Any] | None = None
    security: dict[str, int] | None = None
    abuse: dict[str, Any] | None = None


def _spread(values: list[float]) -> dict[str, float | int]:
    return {
        "count": len(values),
        "p50_s": round(statistics.median(values), 2),
        "max_s": max(values),
    }


def compact(full: dict[str, Any], recorded_at: datetime | None = None) -> dict[str, Any]:
    """A harness run as the report keeps it."""
    faults = full.get("faults", [])
    by: dict[str, list[float]] = {}
    for fault in faults:
        if fault.get("recovery_s") is not None:
            measure = fault.get("recovery_measure", "throughput")
            by.setdefault(f"{fault['kind']} ({measure})", []).append(fault["recovery_s"])
    kept = {k: v for k, v in full.items() if k not in {"faults", "details"}}
    kept["recovery_by_kind"] = {kind: _spread(values) for kind, values in sorted(by.items())}
    kept["recorded_at"] = (recorded_at or datetime.now(UTC)).strftime("%Y-%m-%d %H:%M UTC")
    return kept


def record_fault_run(path: Path, folder: Path = FAULT_RUNS) -> Path:
    full = json.loads(path.read_text())
    kept = compact(full)
    target = folder / f"{full['mode']}-{full['backend']}.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(kept, indent=2) + "\n")
    return target


def _json(path: Path) -> dict[str, Any] | None:
    return json.loads(path.read_text()) if path.exists() else None


def read(
    fault_runs: Path = FAULT_RUNS, fuzz: Path = FUZZ, abuse: Path = ABUSE, security: bool = True
) -> Inputs:
    runs = {}
    for name in RUN_ORDER:
        found = _json(fault_runs / f"{name}.json")
        if found is not None:
            runs[name] = found
    counts = None
    if security:
        from tests.security.matrix import counts as security_counts

        counts = security_counts()
    return Inputs(runs, _json(fuzz), counts, _json(abuse))
