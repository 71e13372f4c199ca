"""Crisis detection over a CSV of 5-minute counts, the same detector the service runs.

`python -m vigie_reputation.crisis detect FILE.csv` prints the timestamp of each row at which a
crisis opens. The file has a header line, then `timestamp,value` rows (timestamps like
`2015-02-26 21:42:53`); the value is the total volume, the negative volume being unknown.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from vigie_reputation.domain.crisis import CrisisDetector, CrisisParams, TransitionKind


@dataclass(frozen=True)
class CountRow:
    timestamp: str  # as written in the file
    value: int


def read_counts(path: Path) -> list[CountRow]:
    rows: list[CountRow] = []
    with path.open(encoding="utf-8") as handle:
        next(handle, None)  # header
        for line in handle:
            if line.strip():
                stamp, value = line.strip().split(",")[:2]
                rows.append(CountRow(stamp, round(float(value))))
    return rows


def opening_rows(rows: Iterable[CountRow], params: CrisisParams | None = None) -> Iterator[int]:
    """Indices of the rows at which a crisis opens."""
    detector = CrisisDetector(params)
    for index, row in enumerate(rows):
        transitions = detector.observe(datetime.fromisoformat(row.timestamp), row.value, 0)
        if any(t.kind is TransitionKind.OPENED for t in transitions):
            yield index
