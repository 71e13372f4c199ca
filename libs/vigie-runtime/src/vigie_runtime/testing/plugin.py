"""Pytest plugin loaded for every suite (see pyproject's addopts).

On a user's machine a test that needs Node, the shared data or a server skips with a reason; in CI
(`CI=true`) such a skip is a failure, so a missing dependency can never hide a test.
"""

import os

import pytest

from vigie_runtime.testing.fixtures import (  # noqa: F401 - fixtures, registered by import
    database_url,
    nats_session_url,
    nats_url,
    own_nats,
)

# The real Bluesky PDS on loopback, shared by every suite of one run.
pytest_plugins = ["vigie_runtime.testing.bluesky_fixture", "vigie_runtime.testing.hang_report"]


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):  # type: ignore[no-untyped-def]
    outcome = yield
    report = outcome.get_result()
    if _in_ci() and report.skipped and call.when in {"setup", "call"}:
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = f"skipped in CI, which must run every test: {reason}"
