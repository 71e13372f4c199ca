"""Fair admission: a bounded number of GraphQL operations run at once, shared across tenants.

A rate limit alone cannot keep one tenant from slowing the others: a flood below the limit, but
above what the gateway serves, simply holds every moment of the gateway's capacity. So at most
`max_running` operations execute at once, and one tenant at most `max_running_per_tenant` of
them (a share: the rest stay free for the other tenants). A request with no slot waits in its
tenant's queue; when a slot frees, the tenants take turns (round-robin over the tenants with a
request waiting, then over the callers of that tenant), so another tenant's request waits
behind at most one of the flooder's per slot, never behind the flooder's whole queue.

A tenant's queue holds at most `max_waiting_per_tenant` requests; one more is refused at once
(`Overloaded`: HTTP 429, code OVERLOADED, Retry-After), before its body is read. A waiting
request that is cancelled (the client went away) leaves its place; a slot is given back
however the operation ends.
"""

import asyncio
from collections import OrderedDict, deque
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

# What a refused caller is told to wait: a slot frees within about one operation's time.
RETRY_AFTER_SECONDS = 1


class Overloaded(Exception):
    """The tenant already has as many requests waiting as its queue holds."""

    def __init__(self, tenant: str, waiting: int) -> None:
        super().__init__(f"{waiting} requests of this tenant are already waiting")
        self.tenant, self.waiting = tenant, waiting
        self.retry_after = RETRY_AFTER_SECONDS


Waiter = asyncio.Future[None]


class FairAdmission:
    def __init__(
        self, max_running: int, max_running_per_tenant: int, max_waiting_per_tenant: int
    ) -> None:
        self._free = max_running
        self._share = max(1, min(max_running_per_tenant, max_running))
        self._max_waiting = max_waiting_per_tenant
        self._running: dict[str, int] = {}
        # Tenants with a request waiting, in their turn order; in each, its callers' queues.
        self._queues: OrderedDict[str, OrderedDict[str, deque[Waiter]]] = OrderedDict()

    @asynccontextmanager
    async def slot(self, tenant: str, caller: str) -> AsyncIterator[None]:
        """Waits for a slot (or raises Overloaded) and holds it while the block runs."""
        await self._acquire(tenant, caller)
        try:
            yield
        finally:
            self._release(tenant)

    def running(self, tenant: str) -> int:
        return self._running.get(tenant, 0)

    def waiting(self, tenant: str) -> int:
        return sum(len(queue) for queue in self._queues.get(tenant, {}).values())

    async def _acquire(self, tenant: str, caller: str) -> None:
        if tenant not in self._queues and self._may_run(tenant):
            self._start(tenant)
            return
        waiting = self.waiting(tenant)
        if waiting >= self._max_waiting:
            raise Overloaded(tenant, waiting)
        waiter: Waiter = asyncio.get_running_loop().create_future()
        callers = self._queues.setdefault(tenant, OrderedDict())
        callers.setdefault(caller, deque()).append(waiter)
        try:
            await waiter
        except asyncio.CancelledError:
            if waiter.done() and not waiter.cancelled():
                self._release(tenant)  # admitted, then cancelled before it could run
            else:
                self._forget(tenant, caller, waiter)
            raise

    def _may_run(self, tenant: str) -> bool:
        return self._free > 0 and self.running(tenant) < self._share

    def _start(self, tenant: str) -> None:
        self._free -= 1
        self._running[tenant] = self.running(tenant) + 1

    def _release(self, tenant: str) -> None:
        self._free += 1
        left = self.running(tenant) - 1
        if left:
            self._running[tenant] = left
        else:
            self._running.pop(tenant, None)
        self._admit_waiting()

    def _admit_waiting(self) -> None:
        """Gives free slots to the waiting requests, one tenant's turn after another."""
        while self._free > 0:
            tenant = next((t for t in self._queues if self._may_run(t)), None)
            if tenant is None:
                return  # nobody waits, or every waiting tenant already uses its share
            callers = self._queues[tenant]
            caller, queue = next(iter(callers.items()))
            waiter = queue.popleft()
            if queue:
                callers.move_to_end(caller)  # this tenant's next turn goes to its next caller
            else:
                del callers[caller]
            if callers:
                self._queues.move_to_end(tenant)  # the other tenants go first next time
            else:
                del self._queues[tenant]
            if waiter.cancelled():
                continue  # its task is being cancelled: it will not run, nor hold a slot
            self._start(tenant)
            waiter.set_result(None)

    def _forget(self, tenant: str, caller: str, waiter: Waiter) -> None:
        callers = self._queues.get(tenant)
        queue = callers.get(caller) if callers is not None else None
        if callers is None or queue is None or waiter not in queue:
            return  # already taken off the queue by _admit_waiting
        queue.remove(waiter)
        if not queue:
            del callers[caller]
        if not callers:
            del self._queues[tenant]
