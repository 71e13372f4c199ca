"""`python -m tests.reliability_report [--record-fault-run RUN.json ...]`: keeps the given fault
runs (compacted) in tests/fault/results/, then rewrites docs/RELIABILITY.md's generated part."""

import argparse
from pathlib import Path

from tests.reliability_report.render import render, replace_region
from tests.reliability_report.sources import DOC, read, record_fault_run


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--record-fault-run", type=Path, action="append", default=[])
    args = parser.parse_args(argv)
    for run in args.record_fault_run:
        print(f"recorded {record_fault_run(run)}")
    DOC.write_text(replace_region(DOC.read_text(), render(read())))
    print(f"wrote {DOC}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
