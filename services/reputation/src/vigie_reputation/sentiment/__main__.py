"""`python -m vigie_reputation.sentiment train [--data DIR]` or `predict [--model NAME]`."""

import argparse
import sys
from itertools import islice
from pathlib import Path

from .data import default_data_dir
from .loading import MODEL_NAMES, load_model

PREDICT_BATCH = 256


def _predict(model_name: str, language: str | None) -> None:
    """One label per input line; a blank line is `neutral` (it expresses nothing)."""
    model = load_model(model_name)
    # Batches as they come, so a long stream is labelled without being held in memory.
    while batch := [line.rstrip("\r\n") for line in islice(sys.stdin, PREDICT_BATCH)]:
        for sentiment in model.predict(batch, [language] * len(batch)):
            print(sentiment.label)
        sys.stdout.flush()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m vigie_reputation.sentiment")
    commands = parser.add_subparsers(dest="command", required=True)
    train = commands.add_parser("train", help="train on UMSAB and overwrite the shipped artifact")
    train.add_argument("--data", type=Path, default=None, help="the umsab/ folder")
    train.add_argument("--out", type=Path, default=None, help="where to write the artifact")
    predict = commands.add_parser("predict", help="label each line of stdin")
    predict.add_argument("--model", choices=MODEL_NAMES, default="default")
    predict.add_argument("--language", default=None, help="ISO 639-1 code of every line")
    args = parser.parse_args(argv)
    if args.command == "predict":
        _predict(args.model, args.language)
        return
    # Imported here: training needs scikit-learn, which the service does not install.
    from .artifact import ARTIFACT_DIR
    from .retrain import train_and_save

    train_and_save(args.data or default_data_dir(), args.out or ARTIFACT_DIR)


if __name__ == "__main__":
    main()
