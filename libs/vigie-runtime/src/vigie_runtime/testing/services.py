"""Running a service in-process for tests: migrated, serving gRPC on a free port."""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from vigie_runtime.host import ServiceHost, ServiceSpec


@asynccontextmanager
async def serving(spec: ServiceSpec, mode: str = "api") -> AsyncIterator[ServiceHost]:
    host = ServiceHost(spec)
    await asyncio.to_thread(host.migrate)
    stop = asyncio.Event()
    task = asyncio.create_task(host.run(mode, stop))
    ready = asyncio.create_task(host.ready.wait())
    done, _ = await asyncio.wait({task, ready}, timeout=30, return_when=asyncio.FIRST_COMPLETED)
    if task in done:
        ready.cancel()
        await task  # raises the start-up error
    if ready not in done:
        raise TimeoutError(f"{spec.name} did not start")
    try:
        yield host
    finally:
        stop.set()
        await task
