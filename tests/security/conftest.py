"""One platform and one world for the whole package (starting five services and seeding three
subsidiaries takes most of a minute; the suites then only read and get refused, so they can
share it)."""

from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
import pytest_asyncio

from tests.security.platform import Platform, running_platform
from tests.security.seeding import build_world
from tests.security.world import World


@dataclass
class Attacked:
    platform: Platform
    world: World


@pytest_asyncio.fixture(scope="package", loop_scope="package")
async def attacked(
    tmp_path_factory: pytest.TempPathFactory, nats_session_url: str
) -> AsyncIterator[Attacked]:
    folder = tmp_path_factory.mktemp("security")
    async with running_platform(folder, nats_session_url) as platform:
        yield Attacked(platform, await build_world(platform))
