"""Waiting in tests for something that happens asynchronously, with a deadline.

Not a timing assertion: the test fails only when the state is never reached.
"""

import asyncio
from collections.abc import Awaitable, Callable


async def eventually(check: Callable[[], Awaitable[bool]], seconds: float = 20.0) -> None:
    deadline = asyncio.get_running_loop().time() + seconds
    while not await check():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("the expected state was never reached")
        await asyncio.sleep(0.05)
