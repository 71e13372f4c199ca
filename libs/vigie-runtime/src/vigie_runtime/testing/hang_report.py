"""When an async test hangs, what each of its tasks was waiting on.

pytest-timeout's report shows the threads' stacks, and in an async test the main thread only sits
in the event loop's select: it does not say which await never returned. Shortly before the
test's timeout, this prints every task of the test's event loop with its stack, so the failure
report ("Captured stderr call") names the stuck await.
"""

import asyncio
import inspect
import sys
import threading
import traceback
from collections.abc import AsyncIterator

import pytest

SHARE = 0.9  # of the test's timeout: late enough to be a hang, early enough to be printed
FIXTURE = "_report_a_hang"


def timeout_of(item: pytest.Item) -> float | None:
    marker = item.get_closest_marker("timeout")
    if marker is not None and marker.args:
        return float(marker.args[0])
    try:
        value = item.config.getini("timeout")
    except ValueError:  # pytest-timeout not installed
        return None
    return float(value) if value else None


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        function = getattr(item, "function", None)
        fixtures = getattr(item, "fixturenames", None)
        marker = item.get_closest_marker("asyncio")
        # A test on a wider loop (loop_scope="package") runs outside this fixture's loop.
        wider = marker is not None and marker.kwargs.get("loop_scope", "function") != "function"
        if inspect.iscoroutinefunction(function) and fixtures is not None and not wider:
            fixtures.append(FIXTURE)


@pytest.fixture(name=FIXTURE)
async def report_a_hang(request: pytest.FixtureRequest) -> AsyncIterator[None]:
    timeout = timeout_of(request.node)
    if not timeout:
        yield
        return
    after = timeout * SHARE
    handle = asyncio.get_running_loop().call_later(after, print_tasks, request.node.nodeid, after)
    try:
        yield
    finally:
        handle.cancel()


def print_tasks(test: str, after: float) -> None:
    print(f"\n{test} still running after {after:.0f} s; its tasks:", file=sys.stderr)
    for task in asyncio.all_tasks():
        print(f"- {task.get_name()}: {task.get_coro()!r}", file=sys.stderr)
        task.print_stack(limit=15, file=sys.stderr)
    sys.stderr.flush()


def print_threads() -> None:
    """Every thread's stack: an await on `to_thread` or a driver's thread waits on one of them."""
    names = {thread.ident: thread.name for thread in threading.enumerate()}
    for ident, frame in sys._current_frames().items():
        print(f"- thread {names.get(ident, ident)}:", file=sys.stderr)
        traceback.print_stack(frame, limit=12, file=sys.stderr)
    sys.stderr.flush()
