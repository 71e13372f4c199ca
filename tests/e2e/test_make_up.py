"""`make up`'s processes, driven like a user: log in, create a subsidiary and a brand, read them
back through GraphQL, and see `brand.created` reach a consumer in another service."""

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import nats
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine
from vigie_runtime.ids import new_id
from vigie_runtime.testing.databases import POSTGRES_ENV
from vigie_runtime.testing.nats import NATS_ENV
from vigie_runtime.testing.waiting import eventually

pytestmark = pytest.mark.e2e


@dataclass
class Platform:
    process: subprocess.Popen[str]
    home: Path
    state: dict[str, Any]
    output: list[str]

    async def graphql(
        self, query: str, variables: dict[str, Any] | None = None, token: str | None = None
    ) -> dict[str, Any]:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        async with httpx.AsyncClient(timeout=30) as client:
            response = await client.post(
                self.state["graphql_url"],
                json={"query": query, "variables": variables or {}},
                headers=headers,
            )
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        assert not body.get("errors"), body
        return body["data"]  # type: ignore[no-any-return]


def _start(home: Path, env: dict[str, str]) -> tuple[subprocess.Popen[str], list[str]]:
    process = subprocess.Popen(
        [sys.executable, "-m", "vigie_cli", "up"],
        env={**os.environ, **env, "VIGIE_HOME": str(home)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: list[str] = []
    deadline = time.monotonic() + 180
    assert process.stdout is not None
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line and process.poll() is not None:
            break
        lines.append(line)
        if "Ctrl-C stops everything" in line:
            return process, lines
    process.kill()
    raise AssertionError("vigie up did not become ready:\n" + "".join(lines) + _logs(home))


def _logs(home: Path) -> str:
    return "".join(
        f"\n--- {log.name}\n{log.read_text()[-3000:]}"
        for log in sorted((home / "logs").glob("*.log"))
    )


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    """One `vigie up` for the module (starting one takes 40 s): the tests run in file order,
    and the last one stops it."""
    env: dict[str, str] = {}
    prefix = f"vigie_e2e_{new_id()[-8:]}"
    if os.environ.get(POSTGRES_ENV):
        env["VIGIE_DATABASE_URL"] = os.environ[POSTGRES_ENV]
        env["VIGIE_DATABASE_PREFIX"] = prefix
    if os.environ.get(NATS_ENV):
        env["VIGIE_NATS_URL"] = os.environ[NATS_ENV]
    home = tmp_path_factory.mktemp("vigie-home")
    process, output = _start(home, env)
    state = json.loads((home / "state.json").read_text())
    try:
        yield Platform(process, home, state, output)
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=60)
        if os.environ.get(POSTGRES_ENV):
            asyncio.run(_drop(os.environ[POSTGRES_ENV], prefix))


async def _drop(server: str, prefix: str) -> None:
    connection = await asyncpg.connect(server.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        for row in await connection.fetch(
            "SELECT datname FROM pg_database WHERE datname LIKE $1", f"{prefix}_%"
        ):
            await connection.execute(f'DROP DATABASE IF EXISTS "{row["datname"]}" WITH (FORCE)')
    finally:
        await connection.close()


async def test_a_user_logs_in_creates_a_brand_and_another_service_hears_of_it(
    platform: Platform,
) -> None:
    login = await platform.graphql(
        'mutation { login(input: {email: "demo@vigie.dev", password: "vigie-demo"}) { token } }'
    )
    token = login["login"]["token"]
    seeded = await platform.graphql(
        "{ subsidiaries { nodes { displayName timeZone } } }", token=token
    )
    assert {s["timeZone"] for s in seeded["subsidiaries"]["nodes"]} >= {
        "Europe/Paris",
        "America/Sao_Paulo",
    }
    subsidiary = await platform.graphql(
        "mutation($i: CreateSubsidiaryInput!) { createSubsidiary(input: $i) { subsidiary { id } errors { code reason message field } } }",
        {
            "i": {
                "displayName": "Vigie Japan",
                "country": "JP",
                "locale": "ja-JP",
                "timeZone": "Asia/Tokyo",
            }
        },
        token,
    )
    subsidiary_id = subsidiary["createSubsidiary"]["subsidiary"]["id"]
    brand = await platform.graphql(
        "mutation($i: CreateBrandInput!) { createBrand(input: $i) { brand { id } errors { code reason message field } } }",
        {"i": {"subsidiaryId": subsidiary_id, "displayName": "Sakura"}},
        token,
    )
    brand_id = brand["createBrand"]["brand"]["id"]
    read = await platform.graphql(
        "query($id: ID!) { brand(id: $id) { displayName subsidiary { timeZone } } }",
        {"id": brand_id},
        token,
    )
    assert read["brand"] == {"displayName": "Sakura", "subsidiary": {"timeZone": "Asia/Tokyo"}}

    # The event is on the directory's stream...
    client = await nats.connect(platform.state["nats_url"])
    try:
        subscription = await client.jetstream().subscribe(
            "vigie.directory.*.brand.created.v1", ordered_consumer=True
        )
        seen = []

        async def event_arrived() -> bool:
            try:
                message = await subscription.next_msg(timeout=0.5)
            except TimeoutError:
                return False
            seen.append(message)
            return brand_id.encode() in message.data

        await eventually(event_arrived, seconds=30)
        assert seen[-1].headers["ce-type"] == "vigie.directory.brand.created.v1"
    finally:
        await client.close()

    # ...and the listener, another service, consumed it into its replica of the brands.
    engine = create_async_engine(platform.state["database_urls"]["listener"])
    brand_row_id = brand_id.rsplit("/", 1)[1]

    async def listener_knows_it() -> bool:
        async with engine.connect() as connection:
            rows = (
                await connection.execute(
                    text("SELECT display_name FROM known_brands WHERE id = :b"), {"b": brand_row_id}
                )
            ).all()
        return [r[0] for r in rows] == ["Sakura"]

    try:
        await eventually(listener_knows_it, seconds=30)
    finally:
        await engine.dispose()


async def test_the_demo_brand_dashboard_shows_a_week_of_scored_mentions_and_scheduled_posts(
    platform: Platform,
) -> None:
    """What the console shows on a first `vigie up`: the demo activity, scored by the reputation."""
    login = await platform.graphql(
        'mutation { login(input: {email: "demo@vigie.dev", password: "vigie-demo"}) { token } }'
    )
    token = login["login"]["token"]
    brands = await platform.graphql("{ brands { nodes { id displayName } } }", token=token)
    lumiere = next(b["id"] for b in brands["brands"]["nodes"] if b["displayName"] == "Lumière")
    dashboard: dict[str, Any] = {}

    async def scored_and_scheduled() -> bool:
        dashboard.update(
            await platform.graphql(
                """query($b: ID!) {
                  mentions(filter: {brandIds: [$b]}, first: 20) { nodes { sentiment { label } } }
                  posts(filter: {brandId: $b, statuses: ["SCHEDULED"]}, first: 10) { nodes { id } }
                }""",
                {"b": lumiere},
                token,
            )
        )
        mentions = dashboard["mentions"]["nodes"]
        scored = len(mentions) == 20 and all(m["sentiment"] for m in mentions)
        # The demo week is seeded in the background, its posts after its mentions: the mentions
        # can be scored before the last posts are scheduled.
        return scored and len(dashboard["posts"]["nodes"]) == 5

    await eventually(scored_and_scheduled, seconds=300)
    labels = {m["sentiment"]["label"] for m in dashboard["mentions"]["nodes"]}
    assert len(labels) > 1, labels  # the demo texts are praise and complaints, not one tone


def test_status_reports_every_component_and_sigterm_stops_them_all(platform: Platform) -> None:
    status = subprocess.run(
        [sys.executable, "-m", "vigie_cli", "status"],
        env={**os.environ, "VIGIE_HOME": str(platform.home)},
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    report = json.loads(status.stdout)
    assert status.returncode == 0, status.stdout
    assert set(report["components"]) == {
        "nats",
        "directory",
        "publisher",
        "listener",
        "reputation",
        "partnerships",
        "gateway",
    }
    children = list(platform.state["pids"].values())
    platform.process.send_signal(signal.SIGTERM)
    assert platform.process.wait(timeout=60) == 0
    for pid in children:
        assert not _alive(pid), f"child {pid} outlived vigie up"
    after = subprocess.run(
        [sys.executable, "-m", "vigie_cli", "status"], env={**os.environ, "VIGIE_HOME": str(platform.home)},
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert after.returncode == 1


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie is dead but not yet reaped: read its state.
    stat = Path(f"/proc/{pid}/stat")
    return stat.exists() and stat.read_text().split()[2] != "Z"
