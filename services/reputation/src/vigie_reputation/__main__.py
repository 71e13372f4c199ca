"""`python -m vigie_reputation api|worker|all|migrate`, and `reseal` (the stored webhook secrets
under the current key, after a key rotation: docs/OPERATIONS.md)."""

import asyncio
import sys

from vigie_runtime.host import run_service_main
from vigie_runtime.reseal import run_reseal

from vigie_reputation.adapters.orm import RUNTIME_TABLES
from vigie_reputation.app.key_rotation import sealed_secrets
from vigie_reputation.bootstrap import build
from vigie_reputation.config import Settings


def main(argv: list[str] | None = None) -> int:
    if (sys.argv[1:] if argv is None else argv) == ["reseal"]:
        settings = Settings()
        box = settings.webhook_secret_box()
        return asyncio.run(run_reseal("reputation", settings, RUNTIME_TABLES, sealed_secrets(box)))
    return run_service_main(build, argv)


if __name__ == "__main__":
    sys.exit(main())
