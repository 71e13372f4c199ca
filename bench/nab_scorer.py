"""The Numenta Anomaly Benchmark score, written from NAB's published rules.

Sources: Lavin & Ahmad, "Evaluating Real-time Anomaly Detection Algorithms - the Numenta Anomaly
Benchmark" (2015), and numenta/NAB `nab/sweeper.py` (NAB >= 1.0, which produced the published
scoreboard) and `nab/runner.py` (normalisation). The rules, as implemented here:

- Each labelled window is worth `A_tp` x a scaled sigmoid of how early its *first* detection
  came: the left edge earns the full `A_tp`, the right edge almost nothing. A window with no
  detection costs `A_fn`. Later detections in the same window neither earn nor cost.
- A detection outside every window costs `A_fp`, weighted by the sigmoid of its distance from
  the end of the preceding window (in that window's widths): right after a window it costs
  almost nothing, three widths later (or before any window) the full `A_fp`.
- Rows in the probationary period are not scored: 15% of the file, capped (as NAB's sweeper
  does) at 15% of 5000 rows, i.e. 750 rows.
- Normalised score over a corpus: 100 x (raw - null) / (perfect - null), where raw sums the
  files, null is the score of a detector that never fires and perfect is `A_tp` per window.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

PROBATION_PERCENT = 0.15
PROBATION_CAP_ROWS = 5000  # NAB caps the probation at 15% of this many rows


@dataclass(frozen=True)
class Profile:
    """Weights of a NAB application profile (magnitudes; FPs and FNs subtract)."""

    tp: float
    fp: float
    fn: float


STANDARD = Profile(tp=1.0, fp=0.11, fn=1.0)


@dataclass(frozen=True)
class Window:
    """A labelled anomaly window as inclusive row indices."""

    start: int
    end: int

    @property
    def width(self) -> int:
        return self.end - self.start + 1


@dataclass(frozen=True)
class SeriesScore:
    raw: float
    true_positives: int
    false_positives: int
    false_negatives: int
    scored_windows: int


def scaled_sigmoid(position: float) -> float:
    """NAB weight: -1 (left window edge) -> +0.987, 0 (right edge) -> 0, >= 3 -> -1."""
    if position >= 3.0:
        return -1.0
    return 2.0 / (1.0 + math.exp(5.0 * position)) - 1.0


def probation_length(n_rows: int) -> int:
    return int(min(math.floor(PROBATION_PERCENT * n_rows), PROBATION_PERCENT * PROBATION_CAP_ROWS))


def windows_from_limits(timestamps: Sequence[str], limits: Iterable[Sequence[str]]) -> list[Window]:
    """Row-index windows from NAB's `[start, end]` timestamp limits (inclusive)."""
    keys = [_timestamp_key(t) for t in timestamps]
    windows = []
    for start, end in limits:
        first = next(i for i, k in enumerate(keys) if k >= _timestamp_key(start))
        last = max(i for i, k in enumerate(keys) if k <= _timestamp_key(end))
        windows.append(Window(first, last))
    return sorted(windows, key=lambda w: w.start)


def score_series(
    n_rows: int,
    detections: Iterable[int],
    windows: Sequence[Window],
    profile: Profile = STANDARD,
) -> SeriesScore:
    """Raw NAB score of one file, given the row indices at which the detector fired."""
    probation = probation_length(n_rows)
    max_tp = scaled_sigmoid(-1.0)
    best: dict[int, float] = {}
    fp_total, fp_count = 0.0, 0
    for row in sorted(set(detections)):
        if row < probation:
            continue
        inside = next((k for k, w in enumerate(windows) if w.start <= row <= w.end), None)
        if inside is not None:
            window = windows[inside]
            if inside not in best:  # only the first detection in a window counts
                position = -(window.end - row + 1) / window.width
                best[inside] = scaled_sigmoid(position) * profile.tp / max_tp
            continue
        fp_count += 1
        fp_total += _false_positive_weight(row, windows) * profile.fp
    scored = [k for k, w in enumerate(windows) if w.end >= probation]
    missed = [k for k in scored if k not in best]
    raw = sum(best.values()) - profile.fn * len(missed) + fp_total
    return SeriesScore(raw, len(best), fp_count, len(missed), len(scored))


def _false_positive_weight(row: int, windows: Sequence[Window]) -> float:
    """Negative: how much a false positive at `row` costs, before the profile's weight."""
    preceding = [w for w in windows if w.end < row]
    if not preceding:
        return scaled_sigmoid(3.0)
    window = preceding[-1]
    return scaled_sigmoid(abs(window.end - row) / max(window.width - 1, 1))


def normalised_score(scores: Iterable[SeriesScore], profile: Profile = STANDARD) -> float:
    """100 x (raw - null) / (perfect - null) summed over a corpus, as NAB's runner does.

    The null detector never fires, so it scores -A_fn per window; perfect is A_tp per window.
    """
    scores = list(scores)
    windows = sum(s.scored_windows for s in scores)
    raw = sum(s.raw for s in scores)
    null = -profile.fn * windows
    perfect = profile.tp * windows
    return 100.0 * (raw - null) / (perfect - null)


def load_windows(path: Path) -> Mapping[str, list[list[str]]]:
    """NAB's `combined_windows.json`: relative file path -> list of `[start, end]`."""
    with path.open(encoding="utf-8") as handle:
        loaded: dict[str, list[list[str]]] = json.load(handle)
    return loaded


def _timestamp_key(stamp: str) -> str:
    # NAB writes "2015-03-03 04:37:53.000000" in windows and "2015-03-03 04:37:53" in data.
    return stamp[:19]
