"""NAB standard-profile score of the crisis detector on the five realTweets series.

Run: `uv run python bench/bench_crisis.py` (add `--no-loso` to skip the leave-one-out study).
Prints the score per series and in total, with default parameters, and the throughput; then a
leave-one-series-out figure: for each series, the parameters that score best on the other four
(from a small grid over the two opening knobs) score it. Writes `bench/results/crisis.json`.
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import json
import time
from pathlib import Path

import nab_scorer as nab
from vigie_reputation.crisis import CountRow, opening_rows, read_counts
from vigie_reputation.domain.crisis import CrisisParams
from vigie_runtime.testing.shared import repo_root, shared_dir

GRID = {"open_surprise": [8.0, 12.0, 16.0], "peak_factor": [1.0, 1.25, 1.5]}

Corpus = dict[str, tuple[list[CountRow], list[nab.Window]]]


def load_corpus(data: Path) -> Corpus:
    corpus: Corpus = {}
    for name, limits in sorted(nab.load_windows(data / "windows.json").items()):
        rows = read_counts(data / name)
        corpus[name] = (rows, nab.windows_from_limits([r.timestamp for r in rows], limits))
    return corpus


def score_corpus(corpus: Corpus, params: CrisisParams) -> tuple[dict[str, nab.SeriesScore], float]:
    """Per-series scores, and buckets processed per second."""
    scores, buckets, started = {}, 0, time.perf_counter()
    for name, (rows, windows) in corpus.items():
        detections = list(opening_rows(rows, params))
        scores[name] = nab.score_series(len(rows), detections, windows)
        buckets += len(rows)
    return scores, buckets / (time.perf_counter() - started)


def leave_one_out(corpus: Corpus) -> dict[str, object]:
    grid = [dict(zip(GRID, values, strict=True)) for values in itertools.product(*GRID.values())]
    by_setting = [score_corpus(corpus, CrisisParams(**setting))[0] for setting in grid]
    held_out, chosen = [], {}
    for name in corpus:
        train = [
            nab.normalised_score(s for n, s in scores.items() if n != name) for scores in by_setting
        ]
        best = max(range(len(grid)), key=train.__getitem__)
        held_out.append(by_setting[best][name])
        chosen[name] = grid[best]
    return {"total": nab.normalised_score(held_out), "chosen": chosen}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--no-loso", action="store_true", help="skip leave-one-series-out")
    args = parser.parse_args()
    data = shared_dir() / "data" / "nab" / "realTweets"
    corpus = load_corpus(data.parent)
    scores, speed = score_corpus(corpus, CrisisParams())
    result: dict[str, object] = {"params": dataclasses.asdict(CrisisParams())}
    for name, score in scores.items():
        alone = nab.normalised_score([score])
        print(
            f"{name:40} {alone:6.1f}  tp {score.true_positives} fn {score.false_negatives} "
            f"fp {score.false_positives}"
        )
    total = nab.normalised_score(scores.values())
    print(f"{'total (NAB standard, normalised)':40} {total:6.1f}   {speed:,.0f} buckets/s")
    result |= {
        "series": {
            n: dataclasses.asdict(s) | {"normalised": nab.normalised_score([s])}
            for n, s in scores.items()
        },
        "total": total,
        "buckets_per_second": speed,
    }
    if not args.no_loso:
        loso = leave_one_out(corpus)
        print(f"{'leave-one-series-out total':40} {loso['total']:6.1f}")
        result["leave_one_series_out"] = loso
    out = repo_root() / "bench" / "results" / "crisis.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"written {out}")


if __name__ == "__main__":
    main()
