"""One subscriber's bounded queue: what keeps a slow client from growing the gateway's memory."""

import asyncio
from collections import deque

from vigie_runtime.events import IncomingEvent


class SlowConsumer(Exception):
    """The subscriber fell `capacity` events behind; its subscription ends (code SLOW_CONSUMER)."""


class BoundedQueue:
    """Holds at most `capacity` events. When a new event finds it full, the queue is marked
    overflowed and refuses everything after: the subscription then ends with SLOW_CONSUMER
    rather than silently skipping events a UI would show as if nothing had been missed."""

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self.peak = 0  # the most events it ever held (what the tests count)
        self.overflowed = False
        self._events: deque[IncomingEvent] = deque()
        self._ready = asyncio.Event()

    def __len__(self) -> int:
        return len(self._events)

    def offer(self, event: IncomingEvent) -> bool:
        """Called by the hub, never blocks; False once the subscriber is too far behind."""
        if self.overflowed:
            return False
        if len(self._events) >= self.capacity:
            self.overflowed = True
            self._events.clear()  # nobody will read them: free the memory now
            self._ready.set()
            return False
        self._events.append(event)
        self.peak = max(self.peak, len(self._events))
        self._ready.set()
        return True

    async def get(self) -> IncomingEvent:
        while not self._events:
            if self.overflowed:
                raise SlowConsumer(f"more than {self.capacity} events were waiting")
            self._ready.clear()
            await self._ready.wait()
        return self._events.popleft()
