"""The fuzzers' figures for the reliability report: with VIGIE_FUZZ_OUT set, each suite adds its
surface's cases, operations and outcomes to that JSON file (tests/fuzz/results/fuzz.json is the
committed one, read by `python -m tests.reliability_report`)."""

import json
import os
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path


def record(surface: str, cases: int, operations: int, outcomes: Mapping[str, int]) -> None:
    out = os.environ.get("VIGIE_FUZZ_OUT")
    if not out:
        return
    path = Path(out)
    figures = json.loads(path.read_text()) if path.exists() else {}
    examples = os.environ.get("VIGIE_FUZZ_EXAMPLES", "5")
    figures["command"] = (
        f"VIGIE_FUZZ_EXAMPLES={examples} VIGIE_FUZZ_OUT={out} uv run pytest tests/fuzz"
    )
    figures["recorded_at"] = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    figures[surface] = {"cases": cases, "operations": operations, "outcomes": dict(outcomes)}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(figures, indent=2, sort_keys=True) + "\n")
