"""The `bluesky_pds` pytest fixture: one real PDS for the whole test session.

Every definition of the fixture (the plugin's, or one imported into a test module) shares the same
servers through the pytest config, which stops them when the session ends.
"""

from collections.abc import Iterator
from contextlib import ExitStack

import pytest

from vigie_runtime.testing.bluesky_pds import BlueskyPds, node_tools_missing, running_bluesky_pds

_RUNNING = pytest.StashKey[BlueskyPds]()


@pytest.fixture(scope="session", name="bluesky_pds")
def bluesky_pds_fixture(request: pytest.FixtureRequest) -> Iterator[BlueskyPds]:
    """A PDS and PLC directory on free loopback ports; skips when Node.js or npm is missing."""
    if reason := node_tools_missing():
        pytest.skip(f"the Bluesky PDS needs Node.js and npm: {reason}")
    config = request.config
    if _RUNNING not in config.stash:
        stack = ExitStack()
        config.add_cleanup(stack.close)
        config.stash[_RUNNING] = stack.enter_context(running_bluesky_pds())
    yield config.stash[_RUNNING]
