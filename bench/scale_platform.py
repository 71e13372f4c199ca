"""The part of the platform the scale benchmark drives, as OS processes: an embedded
nats-server (as `vigie up` starts it, `sync_interval: always`), the listener's and the
reputation's databases (SQLite files, or PostgreSQL databases made for the run), and `replicas`
copies each of `python -m vigie_listener api`, `python -m vigie_listener worker` and
`python -m vigie_reputation worker`, the processes `deploy/k8s` runs as Deployments. The
directory is not started: its brands are seeded in the listener's replica, as its events would.
`start(workers=False)` starts the apis alone: what they capture waits in the listener's outbox
until `start_workers()` starts the workers (the drain mode of the benchmark).

`core_per_replica`: the workers of replica N (its listener worker and its reputation worker) run
on CPU core (N - 1) mod cores only, as a cluster gives each replica its own CPU (the workers'
`limits.cpu` in `deploy/k8s`); the nats-server and the apis run anywhere. Without it every process
shares every core, and on a 2-core machine one replica of each worker already takes most of both.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import nats
from bench_databases import bench_database
from vigie_cli.processes import grpc_serving, spawn, stop_all
from vigie_listener.adapters.orm import KnownBrandRow
from vigie_listener.testing import PARTNER_CLIENT, TENANT, seed_partner_source
from vigie_runtime.database import create_engine, session_factory
from vigie_runtime.embedded_nats import EmbeddedNats
from vigie_runtime.free_ports import free_port
from vigie_runtime.nats_connection import ensure_stream
from vigie_runtime.testing.tokens import TestKeys

SERVICES = ("listener", "reputation")
PRODUCERS = ("directory", "publisher", "listener", "reputation", "partnerships")
START_SECONDS = 300.0  # many Python processes starting at once on a shared 2-core machine
TICKS_PER_SECOND = os.sysconf("SC_CLK_TCK")


@dataclass
class Replica:
    name: str  # e.g. "reputation-worker-2"
    process: subprocess.Popen[bytes]
    log: Path
    port: int | None = None  # gRPC, for an api

    def cpu_seconds(self) -> float:
        """User + system CPU time of the process so far (from /proc)."""
        try:
            fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return 0.0
        return (int(fields[11]) + int(fields[12])) / TICKS_PER_SECOND


@dataclass
class ScalePlatform:
    root: Path
    backend: str  # "sqlite" or "postgres"
    replicas: int
    model: str
    postgres_url: str = ""
    brands: int = 20
    nats: EmbeddedNats | None = None
    urls: dict[str, str] = field(default_factory=dict)
    processes: list[Replica] = field(default_factory=list)
    keys: TestKeys | None = None
    source: str = ""
    profiles: Path | None = None  # when set, each worker runs under cProfile, its stats here
    core_per_replica: bool = False  # replica N's workers on core (N - 1) mod cores only

    @property
    def nats_url(self) -> str:
        assert self.nats is not None
        return self.nats.url

    def brand(self, number: int) -> str:
        return f"tenants/{TENANT}/brands/brand{number % self.brands}"

    def partner_token(self) -> str:
        assert self.keys is not None
        brands = {self.brand(b) for b in range(self.brands)}
        return self.keys.partner_token(TENANT, {"mentions.ingest"}, brands, timedelta(hours=2))

    def apis(self) -> list[Replica]:
        return [p for p in self.processes if p.port is not None]

    async def start(self, workers: bool = True) -> None:
        self.nats = EmbeddedNats(self.root / "nats", sync_always=True)
        self.nats.start()
        connection = await nats.connect(self.nats.url)
        for producer in PRODUCERS:  # as each service's worker would make its stream
            await ensure_stream(connection.jetstream(), producer)
        await connection.close()
        self.urls = {s: await self._database(s) for s in SERVICES}
        self.keys = TestKeys(self.root / "jwks.json")
        env = self._environment()
        await asyncio.gather(*(asyncio.to_thread(self._migrate, s, env) for s in SERVICES))
        await self._seed()
        for number in range(1, self.replicas + 1):
            port = free_port()
            address = {"LISTENER_GRPC_ADDRESS": f"127.0.0.1:{port}"}
            self._spawn(f"listener-api-{number}", "listener", "api", {**env, **address}, port)
        if workers:
            self._spawn_workers(env)
        await asyncio.to_thread(self._wait_ready, list(self.processes))

    async def start_workers(self) -> dict[str, float]:
        """Starts the workers of every replica; when each was ready (`time.perf_counter`)."""
        before = len(self.processes)
        self._spawn_workers(self._environment())
        return await asyncio.to_thread(self._wait_ready, self.processes[before:])

    def _spawn_workers(self, env: dict[str, str]) -> None:
        for number in range(1, self.replicas + 1):
            self._spawn(f"listener-worker-{number}", "listener", "worker", env)
            self._pin(number)
            self._spawn(f"reputation-worker-{number}", "reputation", "worker", env)
            self._pin(number)

    def _pin(self, number: int) -> None:
        """The process just spawned (still one thread: the threads it starts inherit the mask)
        to replica `number`'s core, when `core_per_replica`."""
        if self.core_per_replica:
            cores = sorted(os.sched_getaffinity(0))
            os.sched_setaffinity(self.processes[-1].process.pid, {cores[(number - 1) % len(cores)]})

    def cores_used(self) -> dict[str, list[int]]:
        """Each process's allowed cores, read from every one of its threads (checks the pinning)."""
        found: dict[str, list[int]] = {}
        for replica in self.processes:
            tasks = Path(f"/proc/{replica.process.pid}/task")
            with contextlib.suppress(OSError):
                found[replica.name] = sorted(
                    {
                        core
                        for task in tasks.iterdir()
                        for core in os.sched_getaffinity(int(task.name))
                    }
                )
        return found

    async def _database(self, service: str) -> str:
        if self.backend == "sqlite":
            return f"sqlite+aiosqlite:///{self.root / f'{service}.sqlite'}"
        return await bench_database(self.postgres_url, f"bench_scale_{service}")

    def _environment(self) -> dict[str, str]:
        return {
            "VIGIE_NATS_URL": self.nats_url,
            "VIGIE_JWKS_FILE": str(self.root / "jwks.json"),
            "VIGIE_ENVIRONMENT": "development",
            "LISTENER_DATABASE_URL": self.urls["listener"],
            "LISTENER_PARTNER_QUOTA_PER_MINUTE": "10000000",
            "REPUTATION_DATABASE_URL": self.urls["reputation"],
            "REPUTATION_SENTIMENT_MODEL": self.model,
            # The clock closes buckets left open; the run's mentions all stay in one bucket.
            "REPUTATION_CRISIS_CLOCK_SECONDS": "3600",
        }

    def _migrate(self, service: str, env: dict[str, str]) -> None:
        subprocess.run(
            [sys.executable, "-m", f"vigie_{service}", "migrate"],
            env={**os.environ, **env},
            check=True,
            capture_output=True,
        )

    async def _seed(self) -> None:
        """The brands the directory's events would have put in the listener's replica, and the
        partner's push source."""
        engine = create_engine(self.urls["listener"])
        moment = datetime.now(UTC)
        async with session_factory(engine)() as session:
            for number in range(self.brands):
                session.add(
                    KnownBrandRow(
                        tenant=TENANT, id=f"brand{number}", subsidiary_id="france",
                        display_name=f"Brand {number}", kind="own", aliases=[], competitors=[],
                        deleted=False, updated_at=moment,
                    )
                )  # fmt: skip
            await session.commit()
        await engine.dispose()
        self.source = await seed_partner_source(self.urls["listener"], "agency", PARTNER_CLIENT)

    def _spawn(
        self, name: str, service: str, mode: str, env: dict[str, str], port: int | None = None
    ) -> None:
        logs = self.root / "logs"
        command = [f"vigie_{service}", mode]
        if self.profiles is not None and mode == "worker":
            self.profiles.mkdir(parents=True, exist_ok=True)
            command = ["cProfile", "-o", str(self.profiles / f"{name}.prof"), "-m", *command]
        process = spawn(name, command, env, logs)
        self.processes.append(Replica(name, process, logs / f"{name}.log", port))

    def _wait_ready(self, replicas: list[Replica]) -> dict[str, float]:
        deadline = time.monotonic() + START_SECONDS
        pending = list(replicas)
        ready: dict[str, float] = {}
        while pending:
            for replica in list(pending):
                if replica.process.poll() is not None:
                    tail = replica.log.read_text()[-3000:] if replica.log.exists() else ""
                    raise RuntimeError(f"{replica.name} exited:\n{tail}")
                if _ready(replica):
                    pending.remove(replica)
                    ready[replica.name] = time.perf_counter()
            if time.monotonic() > deadline:
                raise TimeoutError(f"not ready: {[r.name for r in pending]}")
            time.sleep(0.1)
        return ready

    def cpu_seconds(self) -> dict[str, float]:
        return {r.name: r.cpu_seconds() for r in self.processes}

    async def stop(self) -> None:
        stop_all([r.process for r in self.processes])
        if self.nats is not None:
            self.nats.stop()
        if self.backend == "postgres":
            for service in SERVICES:
                await bench_database(self.postgres_url, f"bench_scale_{service}", "drop")


def _ready(replica: Replica) -> bool:
    if replica.port is not None:
        return grpc_serving(replica.port)
    # The host logs this line once its relay and consumers are started.
    service = replica.name.split("-", 1)[0]
    return replica.log.exists() and f"{service} worker running" in replica.log.read_text()
