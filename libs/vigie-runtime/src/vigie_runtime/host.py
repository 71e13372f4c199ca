"""Runs one service as `api`, `worker`, `all` or `migrate`: the process side of every service.

A service describes itself with a `ServiceSpec` (its settings, tables, migrations, gRPC
services, subscriptions and background loops) built in its `bootstrap.py`; the host wires the
plumbing around it: database, token verifier, NATS, outbox relay, consumers, gRPC server,
signals and graceful shutdown.
"""

import argparse
import asyncio
import io
import logging
import signal
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any

from nats.aio.client import Client
from nats.js import JetStreamContext
from sqlalchemy.ext.asyncio import AsyncEngine

from vigie_runtime.database import create_engine, session_factory
from vigie_runtime.events import stream_name
from vigie_runtime.grpc_server import GrpcServer, ServiceRegistration
from vigie_runtime.inbox import ConsumerRunner, Subscription
from vigie_runtime.logs import configure_logging
from vigie_runtime.metrics import MetricsEndpoint
from vigie_runtime.metrics_sampler import MetricsSampler, SampledConsumer
from vigie_runtime.migrations import upgrade
from vigie_runtime.nats_connection import connect, ensure_stream
from vigie_runtime.outbox_relay import OutboxRelay
from vigie_runtime.relay_turn import run_in_turn
from vigie_runtime.revocations import follow_revocations
from vigie_runtime.settings import ServiceSettings
from vigie_runtime.tables import RuntimeTables
from vigie_runtime.telemetry import configure_telemetry
from vigie_runtime.tokens import TokenVerifier
from vigie_runtime.uow import UnitOfWork

log = logging.getLogger(__name__)

Loop = Callable[[asyncio.Event], Coroutine[Any, Any, None]]


class Plumbing:
    """What handlers and entrypoints of one service share; built once per process."""

    def __init__(self, name: str, settings: ServiceSettings, tables: RuntimeTables) -> None:
        self.name = name
        self.settings = settings
        self.tables = tables
        self.engine: AsyncEngine = create_engine(settings.database_url)
        self.sessions = session_factory(self.engine)
        platform = settings.platform
        self.verifier = TokenVerifier.from_file(
            platform.jwks_file, platform.token_issuer, platform.token_audience
        )
        self._wake_relay: Callable[[], None] | None = None

    def uow(self) -> UnitOfWork:
        return UnitOfWork(
            self.sessions, self.tables, lambda: self._wake_relay and self._wake_relay()
        )

    async def close(self) -> None:
        await self.engine.dispose()


@dataclass
class ServiceSpec:
    name: str
    plumbing: Plumbing
    migrations: str
    registrations: list[ServiceRegistration]
    subscriptions: list[Subscription] = field(default_factory=list)
    # Long-running loops of the worker beyond relay and consumers (dispatchers, connectors).
    # They receive the JetStream context when they need to read NATS directly.
    background: list[Callable[[JetStreamContext], Loop]] = field(default_factory=list)
    produces_events: bool = True


class ServiceHost:
    def __init__(self, spec: ServiceSpec) -> None:
        self.spec = spec
        self.grpc_port: int | None = None
        self.metrics_port: int | None = None
        self.ready = asyncio.Event()

    def migrate(self) -> None:
        upgrade(self.spec.migrations, self.spec.plumbing.settings.database_url)

    async def run(self, mode: str, stop: asyncio.Event) -> None:
        tasks: list[asyncio.Task[None]] = []
        revocations: asyncio.Task[None] | None = None
        nc: Client | None = None
        metrics = MetricsEndpoint.start(self.spec.plumbing.settings.platform.metrics_address)
        self.metrics_port = metrics.port if metrics else None
        try:
            if mode in {"api", "all"}:
                server = GrpcServer(
                    self.spec.registrations,
                    self.spec.plumbing.verifier,
                    self.spec.plumbing.settings.grpc_address,
                )
                self.grpc_port = server.port
                tasks.append(asyncio.create_task(server.serve_until(stop)))
                # Not gathered: it runs until cancelled below, and never ends the service.
                revocations = asyncio.create_task(self._follow_revocations())
            if mode in {"worker", "all"}:
                nc = await connect(self.spec.plumbing.settings.platform.nats_url, self.spec.name)
                tasks += await self._start_worker(nc.jetstream(), stop)
                if metrics is not None:
                    tasks.append(asyncio.create_task(self._sampler(nc.jetstream()).run(stop)))
            self.ready.set()
            log.info(
                "%s %s running",
                self.spec.name,
                mode,
                extra={"vigie": {"grpc_port": self.grpc_port, "metrics_port": self.metrics_port}},
            )
            await asyncio.gather(*tasks)
        finally:
            stop.set()
            every = tasks + ([revocations] if revocations else [])
            for task in every:
                task.cancel()
            await _settle(every)
            if nc is not None:
                # close, not drain: a drain waits on pull subscriptions until its timeout, and
                # nothing is lost by closing (every message is acked only after its commit).
                await _within(nc.close(), "closing NATS")
            if metrics is not None:
                await _within(asyncio.to_thread(metrics.stop), "stopping /metrics")
            await _within(self.spec.plumbing.close(), "closing the database")

    def _sampler(self, js: JetStreamContext) -> MetricsSampler:
        spec = self.spec
        return MetricsSampler(
            spec.name,
            spec.plumbing.engine,
            spec.plumbing.tables,
            js,
            [SampledConsumer(stream_name(s.producer), s.durable) for s in spec.subscriptions],
            has_outbox=spec.produces_events,
            interval_seconds=spec.plumbing.settings.platform.metrics_sample_seconds,
        )

    async def _follow_revocations(self) -> None:
        """Keeps the verifier's list of revoked partner clients, in every process serving gRPC."""
        platform = self.spec.plumbing.settings.platform
        await follow_revocations(
            self.spec.plumbing.verifier.revocations,
            platform.nats_url,
            self.spec.name,
            platform.nats_stream_replicas,
        )

    async def _start_worker(
        self, js: JetStreamContext, stop: asyncio.Event
    ) -> list[asyncio.Task[None]]:
        spec, settings = self.spec, self.spec.plumbing.settings
        tasks = []
        if spec.produces_events:
            replicas = settings.platform.nats_stream_replicas
            await _retry(lambda: ensure_stream(js, spec.name, replicas), stop)
            relay = OutboxRelay(
                spec.plumbing.engine,
                spec.plumbing.tables,
                js,
                settings.relay_batch_size,
                service=spec.name,
            )
            spec.plumbing._wake_relay = relay.wake
            # One relay per SQLite file publishes (replicas take turns); all on PostgreSQL.
            turn = run_in_turn(settings.database_url, relay.run, stop)
            tasks.append(asyncio.create_task(turn))
        for subscription in spec.subscriptions:
            runner = ConsumerRunner(
                subscription,
                js,
                spec.plumbing.uow,
                batch_size=settings.consumer_batch_size,
                max_deliver=settings.consumer_max_deliver,
                ack_wait_seconds=settings.consumer_ack_wait_seconds,
                service=spec.name,
            )
            tasks.append(asyncio.create_task(runner.run(stop)))
        for make_loop in spec.background:
            tasks.append(asyncio.create_task(make_loop(js)(stop)))
        return tasks


# A stopping process waits this long for a cancelled loop or a closing connection, then goes on:
# a shutdown that hangs is killed by its orchestrator at the end of its grace, mid-way.
SETTLE_SECONDS = 15.0


async def _settle(tasks: list[asyncio.Task[None]]) -> None:
    """Waits for cancelled tasks to end; logs, with its stack, each one that does not."""
    if not tasks:
        return
    _, pending = await asyncio.wait(tasks, timeout=SETTLE_SECONDS)
    for task in pending:
        stack = io.StringIO()
        task.print_stack(limit=15, file=stack)
        log.error(
            "%s did not stop within %s s:\n%s", task.get_name(), SETTLE_SECONDS, stack.getvalue()
        )
    for task in tasks:  # retrieved, as gather(return_exceptions=True) did: the first one was raised
        if task.done() and not task.cancelled():
            task.exception()


async def _within(closing: Awaitable[None], what: str) -> None:
    try:
        await asyncio.wait_for(closing, SETTLE_SECONDS)
    except TimeoutError:
        log.error("%s took more than %s s; going on", what, SETTLE_SECONDS)


async def _retry(action: Callable[[], Awaitable[None]], stop: asyncio.Event) -> None:
    delay = 0.2
    while not stop.is_set():
        try:
            await action()
            return
        except Exception:
            log.warning("NATS not ready; retrying", exc_info=True)
            await asyncio.sleep(delay)
            delay = min(delay * 2, 5.0)


def run_service_main(build: Callable[[], ServiceSpec], argv: list[str] | None = None) -> int:
    """`python -m vigie_<svc> api|worker|all|migrate`."""
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["api", "worker", "all", "migrate"])
    args = parser.parse_args(argv)
    spec = build()
    configure_logging(spec.name, spec.plumbing.settings.platform.log_level)
    host = ServiceHost(spec)
    if args.mode == "migrate":
        host.migrate()
        return 0
    configure_telemetry(spec.name)

    async def main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, stop.set)
        await host.run(args.mode, stop)

    asyncio.run(main())
    return 0
