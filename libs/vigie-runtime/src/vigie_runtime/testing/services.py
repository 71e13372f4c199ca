"""Running a service in-process for tests: migrated, serving gRPC on a free port."""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from vigie_runtime.host import ServiceHost, ServiceSpec
from vigie_runtime.testing.hang_report import print_tasks, print_threads

STOP_SECONDS = 60.0  # a host's shutdown waits on its gRPC grace (5 s) and closes; longer is a hang


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
        done, _ = await asyncio.wait({task}, timeout=STOP_SECONDS)
        if not done:
            # Before cancelling: what the host and the threads it waits on are stuck on.
            print_tasks(f"{spec.name} {mode} stopping", STOP_SECONDS)
            print_threads()
            task.cancel()
            raise TimeoutError(f"{spec.name} {mode} did not stop in {STOP_SECONDS} s")
        await task
