"""One platform and one world per test module (starting five services and seeding three
subsidiaries takes seconds; the matrix then only reads and refuses)."""

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


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def attacked(
    tmp_path_factory: pytest.TempPathFactory, nats_session_url: str
) -> AsyncIterator[Attacked]:
    folder = tmp_path_factory.mktemp("security")
    async with running_platform(folder, nats_session_url) as platform:
        yield Attacked(platform, await build_world(platform))
