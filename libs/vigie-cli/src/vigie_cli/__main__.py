"""`vigie up` runs the whole platform on this machine; `vigie status` reports its health."""

import argparse
import sys

from vigie_cli.status import status
from vigie_cli.up import up


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="vigie", description=__doc__)
    parser.add_argument("command", choices=["up", "status"])
    args = parser.parse_args(argv)
    return up() if args.command == "up" else status()


if __name__ == "__main__":
    sys.exit(main())
