"""The hang report names the await each task of a hanging async test is stuck on."""

import asyncio
import threading

import pytest
from vigie_runtime.testing.hang_report import FIXTURE, print_tasks, print_threads, timeout_of


async def test_it_prints_every_task_with_the_await_it_waits_on(
    capsys: pytest.CaptureFixture[str],
) -> None:
    never = asyncio.Event()

    async def stuck_on_an_event() -> None:
        await never.wait()

    task = asyncio.create_task(stuck_on_an_event(), name="the-stuck-one")
    await asyncio.sleep(0)
    print_tasks("a test", 270.0)
    task.cancel()
    report = capsys.readouterr().err
    assert "a test still running after 270 s" in report
    assert "- the-stuck-one" in report and "await never.wait()" in report


@pytest.mark.timeout(42)
async def test_an_async_test_gets_the_report_at_its_own_timeout(
    request: pytest.FixtureRequest,
) -> None:
    assert FIXTURE in request.fixturenames
    assert timeout_of(request.node) == 42.0


def test_it_prints_every_thread_with_the_call_it_is_in(capsys: pytest.CaptureFixture[str]) -> None:
    release = threading.Event()

    def blocked_in_a_thread() -> None:
        release.wait()

    thread = threading.Thread(target=blocked_in_a_thread, name="the-blocked-one")
    thread.start()
    try:
        print_threads()
    finally:
        release.set()
        thread.join()
    report = capsys.readouterr().err
    assert "- thread the-blocked-one:" in report and "release.wait()" in report
    assert "- thread MainThread:" in report
