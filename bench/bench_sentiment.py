"""Sentiment model on UMSAB val: macro-F1 per language, their mean, and texts per second.

    uv run python bench/bench_sentiment.py [--data DIR] [--models default cascade fast] [--repeat 1]

Speed is measured on one core (BLAS and OpenMP limited to one thread) in batches of 256, over
all val texts after a warm-up. The machine is shared, so it is reported per CPU second (the
figure the model card uses) and per wall-clock second. Writes bench/results/sentiment.json.
"""

import os

for _variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_variable] = "1"

import argparse  # noqa: E402 - the thread limits must be set before numpy loads
import json  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

from vigie_reputation.sentiment import MODEL_NAMES, SentimentModel, load_model  # noqa: E402
from vigie_reputation.sentiment.data import LabelledTexts, default_data_dir, read_split  # noqa: E402
from vigie_reputation.sentiment.evaluation import BATCH_SIZE, evaluate, predictions  # noqa: E402

RESULTS = Path(__file__).parent / "results" / "sentiment.json"


def speed(model: SentimentModel, data: LabelledTexts, repeat: int) -> dict[str, float]:
    predictions(model, LabelledTexts(data.texts[:32], data.labels[:32], data.languages[:32]))
    cpu, wall = time.process_time(), time.perf_counter()
    for _ in range(repeat):
        predictions(model, data, BATCH_SIZE)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    n = repeat * len(data.texts)
    return {"texts_per_cpu_second": round(n / cpu), "texts_per_wall_second": round(n / wall)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path, default=default_data_dir())
    parser.add_argument("--models", nargs="+", choices=MODEL_NAMES, default=list(MODEL_NAMES))
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    val = read_split(args.data, "val")
    results: dict[str, object] = {"texts": len(val.texts), "batch_size": BATCH_SIZE}
    for name in args.models:
        model = load_model(name)
        figures = {"version": model.version, **speed(model, val, args.repeat)}
        figures["macro_f1"] = evaluate(model, val)
        results[name] = figures
        print(name, json.dumps(figures))
    results["load_average_1min"] = round(os.getloadavg()[0], 2)
    results["cpus"] = os.cpu_count() or 0
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    print(f"wrote {RESULTS}")


if __name__ == "__main__":
    main()
