"""`python -m vigie_directory api|worker|all|migrate`, and the operator's `create-organization`."""

import argparse
import asyncio
import json
import sys

from vigie_runtime.host import run_service_main

from vigie_directory.bootstrap import build


async def _create_organization(name: str, email: str, password: str) -> dict[str, str]:
    from vigie_directory.app import organizations

    spec = build()
    try:
        async with spec.plumbing.uow() as uow:
            organization, admin = await organizations.bootstrap(uow, name, email, password)
            await uow.commit()
        return {
            "tenant": f"tenants/{organization.id}",
            "admin": f"tenants/{organization.id}/members/{admin.id}",
        }
    finally:
        await spec.plumbing.close()


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["create-organization"]:
        parser = argparse.ArgumentParser(prog="vigie_directory create-organization")
        parser.add_argument("--name", required=True)
        parser.add_argument("--admin-email", required=True)
        parser.add_argument("--admin-password", required=True)
        args = parser.parse_args(argv[1:])
        created = asyncio.run(
            _create_organization(args.name, args.admin_email, args.admin_password)
        )
        print(json.dumps(created))
        return 0
    return run_service_main(build, argv)


if __name__ == "__main__":
    sys.exit(main())
