"""`vigie up`: the whole platform on one machine, in the foreground.

A real nats-server (unless VIGIE_NATS_URL is set), one database per service (SQLite files unless
VIGIE_DATABASE_URL is set), every service and the gateway as child processes, demo data, then
the GraphQL URL and the demo login. Ctrl-C or SIGTERM stops every process; none outlives it.
"""

import asyncio
import json
import os
import signal
import subprocess
import threading
import time
from pathlib import Path
from types import FrameType

from cryptography.fernet import Fernet
from vigie_runtime.embedded_nats import EmbeddedNats
from vigie_runtime.free_ports import free_port
from vigie_runtime.migrations import upgrade
from vigie_runtime.tokens import load_or_create_signing_key, write_jwks

from vigie_cli import demo, demo_activity
from vigie_cli.databases import database_urls
from vigie_cli.layout import SERVICES, Layout, State, home
from vigie_cli.processes import grpc_serving, http_ok, spawn, stop_all

START_TIMEOUT_SECONDS = 120


def _say(message: str) -> None:
    print(f"vigie: {message}", flush=True)


def _keys(layout: Layout) -> dict[str, str]:
    key = load_or_create_signing_key(layout.signing_key, create=True)
    write_jwks(layout.jwks, [key])
    return {
        "VIGIE_JWKS_FILE": str(layout.jwks),
        "DIRECTORY_SIGNING_KEY_FILE": str(layout.signing_key),
        "PUBLISHER_CREDENTIALS_KEYS": _fernet_key(layout.credentials_key),
        "REPUTATION_WEBHOOK_SECRET_KEYS": _fernet_key(layout.webhook_secrets_key),
    }


def _fernet_key(path: Path) -> str:
    """This installation's own key, made once: what it sealed stays readable across restarts."""
    if not path.exists():
        path.write_bytes(Fernet.generate_key())
        path.chmod(0o600)
    return path.read_text().strip()


def migrate_databases(urls: dict[str, str]) -> None:
    """Here, one service after another. A `python -m vigie_<service> migrate` process imported
    its whole service (3 to 5 s each, half of a first start) for Alembic, which needs only the
    service's tables; and Alembic's context is one per process, so never two at once here."""
    for service in SERVICES:
        try:
            upgrade(f"vigie_{service}:migrations", urls[service])
        except Exception as error:
            raise RuntimeError(f"migrating {service} failed: {error!r}") from error


def _wait_ready(
    state: State, processes: dict[str, subprocess.Popen[bytes]], layout: Layout
) -> None:
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    pending = set(state.grpc_ports) | {"gateway"}
    while pending:
        for name, process in processes.items():
            if process.poll() is not None:
                raise RuntimeError(
                    f"{name} exited ({process.returncode}): see {layout.logs / name}.log"
                )
        for name in list(pending):
            ready = (
                http_ok(f"{state.graphql_url.rsplit('/', 1)[0]}/readyz")
                if name == "gateway"
                else grpc_serving(state.grpc_ports[name])
            )
            if ready:
                pending.discard(name)
        if time.monotonic() > deadline:
            raise TimeoutError(
                f"not ready after {START_TIMEOUT_SECONDS}s: {', '.join(sorted(pending))}"
            )
        time.sleep(0.1)


def _start(
    layout: Layout, env: dict[str, str], urls: dict[str, str]
) -> tuple[State, dict[str, subprocess.Popen[bytes]]]:
    ports = {service: free_port() for service in SERVICES}
    http_port = free_port(8000)
    # Every process its own /metrics: VIGIE_METRICS_ADDRESS is per process, not per deployment.
    metrics = {name: free_port() for name in [*SERVICES, "gateway"]}
    processes: dict[str, subprocess.Popen[bytes]] = {}
    for service in SERVICES:
        prefix = service.upper()
        own = {
            f"{prefix}_DATABASE_URL": urls[service],
            f"{prefix}_GRPC_ADDRESS": f"127.0.0.1:{ports[service]}",
            "VIGIE_METRICS_ADDRESS": f"127.0.0.1:{metrics[service]}",
        }
        processes[service] = spawn(
            service, [f"vigie_{service}", "all"], {**env, **own}, layout.logs
        )
    gateway_env = {f"GATEWAY_{s.upper()}_TARGET": f"127.0.0.1:{ports[s]}" for s in SERVICES}
    gateway_env["GATEWAY_HTTP_ADDRESS"] = f"127.0.0.1:{http_port}"
    gateway_env["VIGIE_METRICS_ADDRESS"] = f"127.0.0.1:{metrics['gateway']}"
    _say("metrics at " + ", ".join(f"{n} 127.0.0.1:{p}/metrics" for n, p in metrics.items()))
    processes["gateway"] = spawn("gateway", ["vigie_gateway"], {**env, **gateway_env}, layout.logs)
    state = State(
        nats_url=env["VIGIE_NATS_URL"],
        graphql_url=f"http://127.0.0.1:{http_port}/graphql",
        grpc_ports=ports,
        pids={name: p.pid for name, p in processes.items()},
        database_urls=urls,
    )
    state.save(layout.state_file)
    return state, processes


def _banner(state: State, layout: Layout) -> None:
    print(
        f"\n  GraphQL   {state.graphql_url}"
        f"\n  console   {state.graphql_url.rsplit('/', 1)[0]}/console/"
        f"\n  login     {demo.DEMO_EMAIL} / {demo.DEMO_PASSWORD}"
        "\n  status    uv run vigie status"
        f"\n  logs      {layout.logs}"
        "\n\nCtrl-C stops everything.",
        flush=True,
    )


def _supervise(
    processes: dict[str, subprocess.Popen[bytes]], layout: Layout, stop: list[bool]
) -> int:
    """Waits for Ctrl-C or SIGTERM; a child that dies stops the whole platform."""
    while not stop:
        for name, process in processes.items():
            if process.poll() is not None:
                _say(f"{name} exited ({process.returncode}); see {layout.logs / name}.log")
                return 1
        time.sleep(0.2)
    return 0


def up() -> int:
    started = time.monotonic()
    layout = Layout(home())
    layout.root.mkdir(parents=True, exist_ok=True)
    stop: list[bool] = []

    def request_stop(signum: int, frame: FrameType | None) -> None:
        stop.append(True)

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    nats: EmbeddedNats | None = None
    processes: dict[str, subprocess.Popen[bytes]] = {}
    try:
        nats_url = os.environ.get("VIGIE_NATS_URL")
        if not nats_url:
            nats = EmbeddedNats(layout.nats, sync_always=True)
            nats.start()
            nats_url = nats.url
        env = {**_keys(layout), "VIGIE_NATS_URL": nats_url, "VIGIE_ENVIRONMENT": "development"}
        urls = database_urls(layout.data)
        _say("migrating the databases")
        migrate_databases(urls)
        _say("starting the services")
        state, processes = _start(layout, env, urls)
        _wait_ready(state, processes, layout)
        directory_env = {**env, "DIRECTORY_DATABASE_URL": urls["directory"]}
        _seed_demo(state, directory_env)
        _say(f"ready in {time.monotonic() - started:.1f}s")
        _banner(state, layout)
        return _supervise(processes, layout, stop)
    finally:
        _say("stopping")
        stop_all(list(processes.values()))
        if nats is not None:
            nats.stop()
        layout.state_file.unlink(missing_ok=True)


def _seed_demo(state: State, directory_env: dict[str, str]) -> None:
    """The demo organization and, the first time only, its week of activity."""
    created = demo.seed(state.grpc_ports["directory"], directory_env)
    if not created:
        _say("demo data: already seeded")
        return
    _say(f"demo data: {json.dumps(created)}")
    partner = demo_activity.PartnerCredentials(
        created["partner_client"], created["partner_client_id"], created["partner_client_secret"]
    )

    def seed_activity() -> None:
        try:
            activity = asyncio.run(demo_activity.seed(state.grpc_ports, partner))
        except Exception as error:  # the platform runs on without its demo activity
            _say(f"demo activity not seeded: {error!r}")
            return
        _say(f"demo activity: {json.dumps(activity)} (the reputation scores the mentions now)")

    # In the background: the platform is ready for its users before the demo week is pushed.
    threading.Thread(target=seed_activity, name="demo-activity", daemon=True).start()


def state_path() -> Path:
    return Layout(home()).state_file
