"""A stopping host waits a bounded time for its cancelled loops, and says which one held it."""

import asyncio
import logging

import pytest
from vigie_runtime import host


async def test_a_loop_that_ignores_cancellation_is_named_and_left_behind(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(host, "SETTLE_SECONDS", 0.2)
    release = asyncio.Event()

    async def stubborn() -> None:
        while not release.is_set():
            try:
                await release.wait()
            except asyncio.CancelledError:
                continue  # the bug a shutdown must survive

    async def polite() -> None:
        await asyncio.Event().wait()

    tasks = [asyncio.create_task(stubborn(), name="stubborn-loop"), asyncio.create_task(polite())]
    await asyncio.sleep(0)
    for task in tasks:
        task.cancel()
    with caplog.at_level(logging.ERROR, logger=host.__name__):
        await host._settle(tasks)

    assert tasks[1].cancelled()
    assert not tasks[0].done()
    [record] = caplog.records
    assert "stubborn-loop did not stop within 0.2 s" in record.getMessage()
    assert "await release.wait()" in record.getMessage()
    release.set()
    await tasks[0]


async def test_a_close_that_never_returns_is_given_up(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(host, "SETTLE_SECONDS", 0.1)
    with caplog.at_level(logging.ERROR, logger=host.__name__):
        await host._within(asyncio.Event().wait(), "closing NATS")
    assert "closing NATS took more than 0.1 s" in caplog.text
