"""Connectors stop promptly: whatever they wait on (a socket, a feed, a page) is abandoned as
soon as their source is stopped, rather than holding the worker's shutdown until it ends."""

import asyncio
from collections.abc import Awaitable
from typing import TypeVar

T = TypeVar("T")


async def until_stopped(work: Awaitable[T], stop: asyncio.Event) -> T | None:
    """The result of `work`, or None (with `work` cancelled) once `stop` is set."""
    task = asyncio.ensure_future(work)
    stopping = asyncio.ensure_future(stop.wait())
    try:
        await asyncio.wait({task, stopping}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        stopping.cancel()
    if task.done():
        return task.result()
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    return None
