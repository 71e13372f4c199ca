"""`python -m vigie_partnerships api|worker|all|migrate`."""

import sys

from vigie_runtime.host import run_service_main

from vigie_partnerships.bootstrap import build


def main(argv: list[str] | None = None) -> int:
    return run_service_main(build, argv)


if __name__ == "__main__":
    sys.exit(main())
