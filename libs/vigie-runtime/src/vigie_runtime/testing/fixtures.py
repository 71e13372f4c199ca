"""Fixtures every suite can use (registered by `vigie_runtime.testing.plugin`)."""

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from vigie_runtime.embedded_nats import EmbeddedNats
from vigie_runtime.testing.databases import temporary_database
from vigie_runtime.testing.nats import delete_vigie_streams, external_nats_url, start_embedded


@pytest.fixture(scope="session")
def nats_session_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    external = external_nats_url()
    if external:
        yield external
        return
    server = start_embedded(tmp_path_factory.mktemp("nats"))
    try:
        yield server.url
    finally:
        server.stop()


@pytest.fixture
async def nats_url(nats_session_url: str) -> str:
    await delete_vigie_streams(nats_session_url)
    return nats_session_url


@pytest.fixture
def own_nats(tmp_path: Path) -> Iterator[EmbeddedNats]:
    """A NATS server this test may stop, restart and freeze (always embedded)."""
    server = start_embedded(tmp_path / "own-nats")
    try:
        yield server
    finally:
        server.thaw()
        server.stop()


@pytest.fixture
async def database_url(tmp_path: Path) -> AsyncIterator[str]:
    async with temporary_database(tmp_path) as url:
        yield url
