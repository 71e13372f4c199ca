"""A flooding tenant fills its own queue and is refused OVERLOADED, while another tenant's
requests all wait their turn and are served: a gateway with one slot, in front of a directory
with two groups. The test holds the only slot itself, so who waits and who is refused does not
depend on timing; it counts outcomes."""

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import httpx
import jwt
import pytest
from vigie_directory.bootstrap import build
from vigie_directory.testing import ADMIN_PASSWORD, bootstrap_tenant, directory_settings
from vigie_gateway.app import create_app
from vigie_gateway.config import Settings
from vigie_gateway.http.admission import FairAdmission
from vigie_gateway.testing import graphql_front
from vigie_runtime.testing.services import serving

BRANDS = "{ brands(first: 5) { nodes { id } } }"


@dataclass
class OneSlotGateway:
    url: str
    http: httpx.AsyncClient
    admission: FairAdmission
    tokens: dict[str, str]  # the token's tenant -> its admin's token

    async def post(self, tenant: str, query: str = BRANDS) -> httpx.Response:
        headers = {"Authorization": f"Bearer {self.tokens[tenant]}"}
        return await self.http.post(self.url, json={"query": query}, headers=headers)


@pytest.fixture
async def one_slot(tmp_path: Path, database_url: str) -> AsyncIterator[OneSlotGateway]:
    settings = directory_settings(tmp_path, database_url)
    async with serving(build(settings)) as directory:
        admins = ["admin@acme.test", "admin@rival.test"]
        await bootstrap_tenant(settings, "Acme Group", admins[0])
        await bootstrap_tenant(settings, "Rival Group", admins[1])
        app = create_app(
            Settings(
                directory_target=f"127.0.0.1:{directory.grpc_port}",
                platform=settings.platform,
                max_concurrent_operations=1,
                max_concurrent_operations_per_tenant=1,
                max_queued_per_tenant=2,
            )
        )
        async with graphql_front(app) as front:
            tokens = {}
            for email in admins:
                await front.log_in(email, ADMIN_PASSWORD)
                claims = jwt.decode(front.token, options={"verify_signature": False})
                tokens[str(claims["tenant"])] = front.token  # the tenant the gateway sees
            # create_app wraps the Starlette app in OpenTelemetry's middleware: `.app` is it.
            admission = cast(Any, app).app.state.admission
            yield OneSlotGateway(front.url, front.http, admission, tokens)


async def queued(gate: FairAdmission, tenant: str, count: int) -> None:
    """Waits until `count` of the tenant's requests wait for the slot (they reached the queue);
    the bound only turns a bug into a failure instead of a hang."""
    async with asyncio.timeout(120):
        while gate.waiting(f"tenant:{tenant}") < count:
            await asyncio.sleep(0.01)


def outcome(response: httpx.Response) -> str:
    errors: list[dict[str, Any]] = response.json().get("errors") or []
    code = errors[0].get("extensions", {}).get("code", "") if errors else ""
    return f"{response.status_code} {code}".strip()


async def test_a_flooding_tenant_is_refused_overloaded_and_the_other_is_served(
    one_slot: OneSlotGateway,
) -> None:
    flooder, other = list(one_slot.tokens)
    async with one_slot.admission.slot("tenant:someone-else", "holder"):
        flood = [asyncio.create_task(one_slot.post(flooder)) for _ in range(2)]
        await queued(one_slot.admission, flooder, 2)
        # The flooder's queue is full: the next ones are refused at once, the slot still held.
        refused = [await one_slot.post(flooder) for _ in range(3)]
        served = [asyncio.create_task(one_slot.post(other)) for _ in range(2)]
        await queued(one_slot.admission, other, 2)
    flood_answers = await asyncio.gather(*flood)
    other_answers = await asyncio.gather(*served)

    assert [outcome(r) for r in refused] == ["429 OVERLOADED"] * 3
    assert all(r.headers["retry-after"] == "1" for r in refused)
    assert [outcome(r) for r in flood_answers] == ["200"] * 2
    assert [outcome(r) for r in other_answers] == ["200"] * 2
    assert all(r.json()["data"]["brands"] is not None for r in other_answers)
    assert one_slot.admission.running(f"tenant:{other}") == 0  # every slot came back


async def test_a_refused_request_is_not_read(one_slot: OneSlotGateway) -> None:
    """OVERLOADED comes before the body: even a body that is not JSON gets it, not 400."""
    flooder = next(iter(one_slot.tokens))
    headers = {
        "Authorization": f"Bearer {one_slot.tokens[flooder]}",
        "Content-Type": "application/json",
    }
    async with one_slot.admission.slot("tenant:someone-else", "holder"):
        flood = [asyncio.create_task(one_slot.post(flooder)) for _ in range(2)]
        await queued(one_slot.admission, flooder, 2)
        refused = await one_slot.http.post(one_slot.url, content=b"{not json", headers=headers)
    await asyncio.gather(*flood)
    assert outcome(refused) == "429 OVERLOADED"
