"""`python -m vigie_runtime.testing.prepare_peers`: installs the test peers that take minutes
the first time (the Bluesky PDS from npm) before the suite starts, so no test's own timeout pays
for it. Without Node it says so and exits 0: those tests then skip with the same reason."""

import sys

from vigie_runtime.testing.bluesky_pds import ensure_installed, node_tools_missing


def main() -> int:
    missing = node_tools_missing()
    if missing:
        print(f"test peers: {missing}; the Bluesky tests will skip")
        return 0
    print(f"test peers: Bluesky PDS ready in {ensure_installed()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
