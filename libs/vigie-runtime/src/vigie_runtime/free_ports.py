"""A free TCP port for a process started next: `vigie up`, the tests' and benchmarks' servers.

Asking the kernel for port 0 returns an *ephemeral* port, and the kernel hands the same range to
every outgoing connection: between the probe and the child's own bind, a client connecting to
NATS or PostgreSQL can take the port and the child dies with "Address already in use" (a CI run
lost a service's /metrics that way). So ports are drawn at random below the ephemeral range,
where only a listener that asks for that very port can take them.
"""

import random
import socket
from pathlib import Path

EPHEMERAL_RANGE = Path("/proc/sys/net/ipv4/ip_local_port_range")
LOWEST = 10_000  # clear of the well-known and usual service ports (5432, 4222, 8000, 9090…)
TRIES = 200


def _ephemeral_start() -> int:
    """The first port the kernel gives to outgoing connections (Linux: 32768 by default)."""
    try:
        return int(EPHEMERAL_RANGE.read_text().split()[0])
    except (OSError, ValueError, IndexError):  # not Linux: IANA's dynamic range
        return 49_152


def _bindable(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


# Ports this process handed out: the probe releases a port at once, so `vigie up` asking for
# thirteen ports in a row could otherwise draw one twice before any child binds it.
_handed_out: set[int] = set()


def free_port(preferred: int | None = None) -> int:
    """`preferred` when nothing listens on it, else a random free port below the ephemeral
    range (the kernel's choice when that range leaves no room below it); never one this
    process handed out already."""
    if preferred and preferred not in _handed_out and _bindable(preferred):
        return _hand_out(preferred)
    top = _ephemeral_start()
    if top - LOWEST >= 1_000:
        # Not seeded on purpose: processes picking at once must not draw the same sequence.
        draw = random.SystemRandom()
        for _ in range(TRIES):
            candidate = draw.randrange(LOWEST, top)
            if candidate not in _handed_out and _bindable(candidate):
                return _hand_out(candidate)
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return _hand_out(int(probe.getsockname()[1]))


def _hand_out(port: int) -> int:
    _handed_out.add(port)
    return port
