"""Faults at seeded random moments, one at a time: SIGKILL of a service process then its
restart, NATS stopped then restarted on its JetStream store, NATS frozen (SIGSTOP) for longer
than the consumers' ack wait then thawed, and PostgreSQL crashed (immediate stop) then
restarted. After each, the harness waits for the pipeline's throughput to come back before
the next one, and records how long that took."""

import asyncio
import random
import time
from bisect import bisect_left
from dataclasses import asdict, dataclass
from typing import Any

from .platform import ACK_WAIT_SECONDS, Platform
from .workload import Workload

KILL, NATS_RESTART, NATS_FREEZE, POSTGRES_RESTART = (
    "kill",
    "nats_restart",
    "nats_freeze",
    "postgres_restart",
)
WINDOW_SECONDS = 1.0
STEADY_SHARE = 0.5  # back to steady: a 1-second window scoring at least half the pushed rate


@dataclass
class Fault:
    kind: str
    target: str
    injected_s: float = 0.0  # since the workload started
    down_s: float = 0.0
    recovery_s: float | None = None  # from the restart until throughput is steady again
    recovery_measure: str = "throughput"  # or "ready": the restarted process serves again

    def figures(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Plan:
    kills_each: int
    nats_restarts: int
    nats_freezes: int
    postgres_restarts: int

    def faults(self, rng: random.Random, platform: Platform) -> list[Fault]:
        faults = [Fault(KILL, name) for name in platform.processes for _ in range(self.kills_each)]
        faults += [Fault(NATS_RESTART, "nats") for _ in range(self.nats_restarts)]
        faults += [Fault(NATS_FREEZE, "nats") for _ in range(self.nats_freezes)]
        if platform.postgres is not None:
            faults += [Fault(POSTGRES_RESTART, "postgres") for _ in range(self.postgres_restarts)]
        rng.shuffle(faults)
        return faults


@dataclass(frozen=True)
class Pacing:
    """Seconds drawn at random per fault: the steady workload before it (after the previous
    fault's recovery was measured), and how long a killed or stopped part stays down."""

    gap_s: tuple[float, float]
    down_s: tuple[float, float]


# The processes a mention passes through (pushed, relayed, scored): a kill of one of them stops
# the scored throughput that recovery is measured on. A kill of any other process does not.
MENTION_PATH = frozenset({"listener-api", "listener-worker", "reputation-worker"})
THROUGHPUT, READY = "throughput", "ready"


def on_mention_path(fault: Fault) -> bool:
    return fault.kind != KILL or fault.target in MENTION_PATH


class Injector:
    """Injects the faults one at a time, each followed by a wait for its recovery. With `lanes`,
    the faults off the mention path (kills of the directory, publisher, partnerships and the
    reputation's api) run in a second lane beside the others, each still one at a time: their
    recovery is their process serving again (gRPC health, or the worker's "running" line),
    since they do not stop the scored throughput that the first lane measures."""

    def __init__(
        self,
        platform: Platform,
        workload: Workload,
        rng: random.Random,
        settle_cap_s: float,
        pacing: Pacing,
        lanes: bool = False,
    ) -> None:
        self.platform, self.workload, self.rng = platform, workload, rng
        self.settle_cap_s, self.pacing, self.lanes = settle_cap_s, pacing, lanes
        self.started = time.monotonic()
        self.done = 0

    async def run(self, faults: list[Fault], progress: bool = False) -> None:
        if not self.lanes:
            await self._lane(faults, self.rng, len(faults), progress)
            return
        # Each lane draws from its own generator, so a seed replays the same faults whatever
        # the interleaving of the two lanes.
        first, second = random.Random(self.rng.random()), random.Random(self.rng.random())
        path = [f for f in faults if on_mention_path(f)]
        rest = [f for f in faults if not on_mention_path(f)]
        for fault in rest:
            fault.recovery_measure = READY
        await asyncio.gather(
            self._lane(path, first, len(faults), progress),
            self._lane(rest, second, len(faults), progress),
        )

    async def _lane(
        self, faults: list[Fault], rng: random.Random, total: int, progress: bool
    ) -> None:
        for fault in faults:
            await asyncio.sleep(rng.uniform(*self.pacing.gap_s))
            fault.injected_s = round(time.monotonic() - self.started, 2)
            ended = await self._inject(fault, rng)
            if fault.recovery_measure == READY:
                fault.recovery_s = await self._serving(fault.target, ended)
            else:
                fault.recovery_s = await self._recovered(ended)
            self.done += 1
            if progress:
                print(
                    f"fault {self.done}/{total} at {fault.injected_s:.0f} s: {fault.kind} "
                    f"{fault.target}, recovery {fault.recovery_s} s ({fault.recovery_measure})",
                    flush=True,
                )

    async def _inject(self, fault: Fault, rng: random.Random) -> float:
        """Applies the fault; the moment it ended (the restart, the thaw)."""
        down = rng.uniform(*self.pacing.down_s)
        nats = self.platform.nats
        assert nats is not None
        if fault.kind == KILL:
            process = self.platform.processes[fault.target]
            process.held = True  # down on purpose: not a crash for `revive` to count
            try:
                await asyncio.to_thread(process.kill)
                await asyncio.sleep(down)
                process.start()
            finally:
                process.held = False
        elif fault.kind == NATS_RESTART:
            await asyncio.to_thread(nats.stop)
            await asyncio.sleep(down)
            await asyncio.to_thread(self.platform.start_nats)
        elif fault.kind == NATS_FREEZE:
            down = ACK_WAIT_SECONDS + 2.0
            nats.freeze()
            await asyncio.sleep(down)
            nats.thaw()
        elif fault.kind == POSTGRES_RESTART:
            postgres = self.platform.postgres
            assert postgres is not None
            await asyncio.to_thread(postgres.crash)
            await asyncio.sleep(down)
            await asyncio.to_thread(postgres.start)
        fault.down_s = round(down, 2)
        return time.monotonic()

    async def _recovered(self, ended: float) -> float | None:
        deadline = ended + self.settle_cap_s
        while time.monotonic() < deadline:
            self.platform.revive()
            found = recovery(self.workload.scored_at, ended, self.workload.rate, time.monotonic())
            if found is not None:
                return round(found, 2)
            await asyncio.sleep(0.25)
        return None

    async def _serving(self, target: str, ended: float) -> float | None:
        process = self.platform.processes[target]
        deadline = ended + self.settle_cap_s
        while time.monotonic() < deadline:
            self.platform.revive()
            if await asyncio.to_thread(self.platform.ready, process):
                return round(time.monotonic() - ended, 2)
            await asyncio.sleep(0.1)
        return None


def recovery(scored_at: list[float], ended: float, rate: int, now: float) -> float | None:
    """Seconds from `ended` to the first mention scored in the first 1-second window (sliding
    by 0.1 s) that scored at least half the pushed rate; None if there is none before `now`."""
    needed = STEADY_SHARE * rate * WINDOW_SECONDS
    # Arrival times are appended by one event loop from a monotonic clock: already sorted.
    start = ended
    while start + WINDOW_SECONDS <= now:
        first = bisect_left(scored_at, start)
        if bisect_left(scored_at, start + WINDOW_SECONDS) - first >= needed:
            return scored_at[first] - ended  # the window's first mention, not its empty start
        start += 0.1
    return None
