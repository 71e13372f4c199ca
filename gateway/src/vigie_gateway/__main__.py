"""`python -m vigie_gateway` serves GraphQL; `... export-schema [--check]` writes the SDL."""

import sys
from pathlib import Path

import uvicorn
from vigie_runtime.logs import configure_logging
from vigie_runtime.telemetry import configure_telemetry

from vigie_gateway.app import create_app
from vigie_gateway.config import Settings
from vigie_gateway.schema import build_schema

SCHEMA_FILE = Path(__file__).resolve().parents[2] / "schema.graphql"


def export_schema(check: bool) -> int:
    sdl = build_schema(Settings()).as_str() + "\n"
    if check:
        if not SCHEMA_FILE.exists() or SCHEMA_FILE.read_text() != sdl:
            print("gateway/schema.graphql is stale: run `python -m vigie_gateway export-schema`")
            return 1
        print("gateway/schema.graphql matches the schema")
        return 0
    SCHEMA_FILE.write_text(sdl)
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["export-schema"]:
        return export_schema(check="--check" in argv)
    settings = Settings()
    configure_logging("gateway", settings.platform.log_level)
    configure_telemetry("gateway")
    host, _, port = settings.http_address.rpartition(":")
    uvicorn.run(
        create_app(settings, freeze_start_up=True),
        host=host,
        port=int(port),
        log_config=None,
        access_log=False,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
