"""`python -m vigie_publisher api|worker|all|migrate`, and `reseal` (the stored credentials under
the current key, after a key rotation: docs/OPERATIONS.md)."""

import asyncio
import sys

from vigie_runtime.host import run_service_main
from vigie_runtime.reseal import run_reseal

from vigie_publisher.adapters.credentials import CredentialVault
from vigie_publisher.adapters.orm import RUNTIME_TABLES
from vigie_publisher.app.key_rotation import sealed_credentials
from vigie_publisher.bootstrap import build
from vigie_publisher.config import Settings


def main(argv: list[str] | None = None) -> int:
    if (sys.argv[1:] if argv is None else argv) == ["reseal"]:
        settings = Settings()
        vault = CredentialVault(settings.credential_keys)
        return asyncio.run(
            run_reseal("publisher", settings, RUNTIME_TABLES, sealed_credentials(vault))
        )
    return run_service_main(build, argv)


if __name__ == "__main__":
    sys.exit(main())
