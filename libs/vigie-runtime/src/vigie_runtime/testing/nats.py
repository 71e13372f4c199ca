"""NATS for tests: the machine's server when `VIGIE_TEST_NATS_URL` is set (CI), else a real
embedded `nats-server` on a free port. Streams are emptied between tests."""

import os
from pathlib import Path

import nats

from vigie_runtime.embedded_nats import EmbeddedNats

NATS_ENV = "VIGIE_TEST_NATS_URL"


def external_nats_url() -> str | None:
    return os.environ.get(NATS_ENV) or None


def start_embedded(folder: Path) -> EmbeddedNats:
    server = EmbeddedNats(folder)
    server.start()
    return server


async def delete_vigie_streams(url: str) -> None:
    """Every test starts with no Vigie stream or consumer: no state leaks between tests."""
    client = await nats.connect(url, connect_timeout=2)
    try:
        js = client.jetstream()
        for info in await js.streams_info():
            if info.config.name and info.config.name.startswith("VIGIE_"):
                await js.delete_stream(info.config.name)
    finally:
        await client.close()
