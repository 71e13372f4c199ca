"""`python -m vigie_reputation.crisis detect FILE.csv`: one line per crisis opening."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from vigie_reputation.crisis import opening_rows, read_counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m vigie_reputation.crisis")
    commands = parser.add_subparsers(dest="command", required=True)
    detect = commands.add_parser("detect", help="print the timestamp of each crisis opening")
    detect.add_argument("file", type=Path, help="CSV with a header and timestamp,value rows")
    args = parser.parse_args(argv)
    rows = read_counts(args.file)
    for index in opening_rows(rows):
        sys.stdout.write(rows[index].timestamp + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
