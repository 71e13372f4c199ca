"""One outbox relay at a time per SQLite database.

On PostgreSQL every worker's relay claims its rows `FOR UPDATE SKIP LOCKED`, so replicas share
the outbox. SQLite has no such claim: the relays of several workers on one file would each read
and publish every pending row (JetStream drops the copies by `Nats-Msg-Id`, but each replica
pays for publishing all of them, and plain NATS subscribers see every copy). So on SQLite a
relay first takes an exclusive `flock` on a file beside the database: the replica holding it
publishes the rows every replica commits (it polls, so theirs wait up to its idle poll); the
others wait for their turn, which comes as soon as the holder stops or dies (the kernel drops
the lock of a dead process).
"""

import asyncio
import contextlib
import fcntl
import os
from collections.abc import Awaitable, Callable
from pathlib import Path

from sqlalchemy.engine import make_url

TURN_POLL_SECONDS = 1.0


def turn_file(database_url: str) -> Path | None:
    """The lock file of a SQLite database file; None for other databases and `:memory:`."""
    url = make_url(database_url)
    if not url.drivername.startswith("sqlite") or url.database in (None, "", ":memory:"):
        return None
    return Path(f"{url.database}-relay.lock")


def _try_lock(path: Path) -> int | None:
    """The open descriptor holding the exclusive lock, or None when another one holds it."""
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(descriptor)
        return None
    return descriptor


async def run_in_turn(
    database_url: str, relay: Callable[[asyncio.Event], Awaitable[None]], stop: asyncio.Event
) -> None:
    """Runs `relay(stop)` once this process holds the database's relay turn (at once when the
    database is not a SQLite file)."""
    path = turn_file(database_url)
    if path is None:
        await relay(stop)
        return
    descriptor = _try_lock(path)
    while descriptor is None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), TURN_POLL_SECONDS)
        if stop.is_set():
            return
        descriptor = _try_lock(path)
    try:
        await relay(stop)
    finally:
        os.close(descriptor)  # releases the lock: the next replica's relay takes over
