"""The platform as `make up` runs it, but with each service's `api` and `worker` as separate OS
processes so each can be SIGKILLed on its own: a nats-server from the wheel (JetStream file
store in a temporary folder, `sync_interval: always`), one database per service (SQLite files,
or PostgreSQL), and the services' processes. The gateway is left out: the workload speaks gRPC.
"""

import asyncio
import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import asyncpg
from vigie_cli.layout import SERVICES, Layout
from vigie_cli.processes import grpc_serving, spawn, stop_all
from vigie_cli.up import _keys, migrate_databases
from vigie_runtime.embedded_nats import EmbeddedNats
from vigie_runtime.free_ports import free_port
from vigie_runtime.testing.databases import POSTGRES_ENV

from .postgres_server import OwnPostgres, available
from .zygote import ForkedProcess, Zygote

ACK_WAIT_SECONDS = 5.0
MODES = ("api", "worker")
# Ten Python processes starting at once on a shared 2-core machine can take minutes.
START_SECONDS = 600.0


@dataclass
class ServiceProcess:
    service: str
    mode: str
    env: dict[str, str]
    logs: Path
    process: subprocess.Popen[bytes] | ForkedProcess | None = None
    starts: int = 0
    zygote: Zygote | None = None  # when set, starts are forks of it (no re-import)
    held: bool = False  # killed by a fault and not restarted yet

    @property
    def name(self) -> str:
        return f"{self.service}-{self.mode}"

    @property
    def log(self) -> Path:
        return self.logs / f"{self.name}.log"

    def start(self) -> None:
        self.starts += 1
        if self.zygote is not None:
            self.process = self.zygote.fork(self.mode)
        else:
            self.process = spawn(
                self.name, [f"vigie_{self.service}", self.mode], self.env, self.logs
            )

    def kill(self) -> None:
        """SIGKILL: no shutdown code runs, as in a power cut of one process."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()

    def exited(self) -> bool:
        return self.process is None or self.process.poll() is not None


@dataclass
class Platform:
    backend: str
    sink_url: str
    forked: bool = False  # restarts forked from a zygote per service (tests/fault/zygote.py)
    root: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="vigie-fault-")))
    processes: dict[str, ServiceProcess] = field(default_factory=dict)
    ports: dict[str, int] = field(default_factory=dict)
    urls: dict[str, str] = field(default_factory=dict)
    postgres: OwnPostgres | None = None
    shared_server: str = ""  # the machine's PostgreSQL, when the harness cannot run its own
    nats: EmbeddedNats | None = None
    unexpected_exits: list[str] = field(default_factory=list)
    zygotes: list[Zygote] = field(default_factory=list)

    @property
    def layout(self) -> Layout:
        return Layout(self.root)

    @property
    def nats_url(self) -> str:
        assert self.nats is not None
        return self.nats.url

    def start(self) -> None:
        self.layout.root.mkdir(parents=True, exist_ok=True)
        self.nats = EmbeddedNats(self.layout.nats, sync_always=True)
        self.nats.start()
        self.urls = asyncio.run(self._databases())
        env = {**_keys(self.layout), **self._tuning()}
        migrate_databases(self.urls)
        self.ports = {service: free_port() for service in SERVICES}
        for service in SERVICES:
            own = {
                f"{service.upper()}_DATABASE_URL": self.urls[service],
                f"{service.upper()}_GRPC_ADDRESS": f"127.0.0.1:{self.ports[service]}",
            }
            zygote = Zygote(service, {**env, **own}, self.layout.logs) if self.forked else None
            if zygote is not None:
                self.zygotes.append(zygote)
            for mode in MODES:
                process = ServiceProcess(
                    service, mode, {**env, **own}, self.layout.logs, zygote=zygote
                )
                self.processes[process.name] = process
                process.start()
        self.wait_ready(list(self.processes.values()), START_SECONDS)

    def _tuning(self) -> dict[str, str]:
        """Short ack waits (so a freeze outlasts them) and a dispatcher lease that expires
        within a short run; the publisher's networks all go to the counting sink."""
        env = {
            "VIGIE_NATS_URL": self.nats_url,
            "VIGIE_ENVIRONMENT": "development",
            "REPUTATION_SENTIMENT_MODEL": "fast",
            "PUBLISHER_DISPATCH_SINK_URL": self.sink_url,
            "PUBLISHER_DISPATCH_POLL_S": "0.5",
            "PUBLISHER_DISPATCH_CALL_DEADLINE_S": "4",
            "PUBLISHER_DISPATCH_LEASE_S": "10",
        }
        for service in SERVICES:
            env[f"{service.upper()}_CONSUMER_ACK_WAIT_SECONDS"] = str(ACK_WAIT_SECONDS)
        return env

    async def _databases(self) -> dict[str, str]:
        if self.backend == "sqlite":
            data = self.layout.data
            data.mkdir(parents=True, exist_ok=True)
            return {s: f"sqlite+aiosqlite:///{data / f'{s}.sqlite'}" for s in SERVICES}
        if available():
            self.postgres = OwnPostgres(free_port())
            self.postgres.start()
            server = self.postgres.url
        else:
            self.shared_server = os.environ.get(POSTGRES_ENV, "")
            if not self.shared_server:
                raise RuntimeError(f"no PostgreSQL: neither Debian's binaries nor {POSTGRES_ENV}")
            server = self.shared_server
        prefix = f"vigie_fault_{os.getpid()}"
        connection = await asyncpg.connect(server.replace("postgresql+asyncpg", "postgresql"))
        try:
            for service in SERVICES:
                await connection.execute(f'CREATE DATABASE "{prefix}_{service}"')
        finally:
            await connection.close()
        base = server.rsplit("/", 1)[0]
        return {s: f"{base}/{prefix}_{s}" for s in SERVICES}

    def start_nats(self, attempts: int = 3) -> None:
        """Starts NATS again on its port and store; a start that fails is the harness's own
        spawn failing, not a fault under test, so it is tried again."""
        assert self.nats is not None
        for attempt in range(attempts):
            try:
                self.nats.start()
                return
            except (RuntimeError, TimeoutError):
                if attempt == attempts - 1:
                    raise
                self.nats.stop()

    def revive(self) -> None:
        """Starts again any process that exited on its own (a crash is a finding of its own,
        counted in `unexpected_exits`); processes killed by a fault are restarted there."""
        for process in self.processes.values():
            if process.exited() and not process.held:
                self.unexpected_exits.append(process.name)
                process.start()

    def wait_ready(self, processes: list[ServiceProcess], seconds: float) -> None:
        deadline = time.monotonic() + seconds
        pending = list(processes)
        while pending:
            for process in list(pending):
                if process.exited():
                    raise RuntimeError(f"{process.name} exited: see {process.log}")
                if self.ready(process):
                    pending.remove(process)
            if time.monotonic() > deadline:
                raise TimeoutError(f"not ready: {[p.name for p in pending]}")
            time.sleep(0.2)

    def ready(self, process: ServiceProcess) -> bool:
        if process.mode == "api":
            return grpc_serving(self.ports[process.service])
        # The host logs this line once its relay and consumers are started.
        marker = f"{process.service} worker running"
        return process.log.exists() and process.log.read_text().count(marker) >= process.starts

    def stop(self) -> None:
        """Leaves nothing running, whatever failed before (each step in its own `finally`)."""
        try:
            stop_all([p.process for p in self.processes.values() if p.process is not None])  # type: ignore[misc]
            for zygote in self.zygotes:
                zygote.stop()
            if self.nats is not None:
                with contextlib.suppress(ProcessLookupError):
                    self.nats.thaw()
                self.nats.stop()
        finally:
            try:
                if self.postgres is not None:
                    self.postgres.remove()
                elif self.shared_server:
                    asyncio.run(_drop(self.shared_server, list(self.urls.values())))
            finally:
                if not os.environ.get("VIGIE_FAULT_KEEP"):
                    shutil.rmtree(self.root, ignore_errors=True)


async def _drop(server: str, urls: list[str]) -> None:
    connection = await asyncpg.connect(server.replace("postgresql+asyncpg", "postgresql"))
    try:
        for url in urls:
            name = url.rsplit("/", 1)[1]
            await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await connection.close()
