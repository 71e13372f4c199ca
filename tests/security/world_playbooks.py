"""The reputation's crisis response for one subsidiary's brand: a playbook of the brand and one
of its subsidiary (the fallback), alerting a member then the scope's webhook; in the scopes
under attack, an open crisis that applied the brand's playbook, its room and its statement."""

from typing import Any

import grpc
from vigie.reputation.v1 import crisis_response_pb2 as cr
from vigie.reputation.v1 import crisis_response_pb2_grpc
from vigie_runtime.grpc_client import bearer
from vigie_runtime.testing.waiting import eventually

from tests.security.world import Scope, Seeder, until_known
from tests.security.world_crisis import burst, history, opened_crisis, push


async def playbook_kinds(
    seed: Seeder, scope: Scope, admin: Any, brand: str, sub: str, webhook: str
) -> None:
    async with grpc.aio.insecure_channel(seed.platform.targets["reputation"]) as channel:
        stub = crisis_response_pb2_grpc.CrisisResponseServiceStub(channel)
        for parent in (brand, sub):
            playbook = cr.Playbook(
                display_name=f"Playbook {scope.marker}",
                alert_steps=[
                    cr.AlertStep(member=f"{scope.tenant}/members/oncall", delay_seconds=0),
                    cr.AlertStep(webhook=webhook, delay_seconds=300),
                ],
                holding_statements=[
                    cr.HoldingStatement(language="en", text=f"We are on it {scope.marker}")
                ],
            )
            request = cr.CreatePlaybookRequest(parent=parent, playbook=playbook)
            made = await until_known(lambda r=request: stub.CreatePlaybook(r, metadata=admin))
            scope.add("playbooks", made.name)


async def crisis_history(seed: Seeder, scope: Scope, partner_token: str, source: str) -> None:
    """The partner pushes the brand's steady past, before any other mention of it."""
    mentions = history(source, scope.first("brands"), scope.marker)
    await push(seed.listener, bearer(partner_token), mentions)


async def start_crisis(seed: Seeder, scope: Scope, partner_token: str, source: str) -> None:
    """The partner pushes the burst that opens a crisis on the scope's brand (not awaited:
    the detector works while the rest of the world is made; see `crisis_kinds`)."""
    mentions = burst(source, scope.first("brands"), scope.marker)
    await push(seed.listener, bearer(partner_token), mentions)


async def crisis_kinds(seed: Seeder, scope: Scope, admin: Any) -> None:
    """The scope's open crisis, its room (the brand's playbook applied: a statement proposed)
    and that statement."""
    crisis = await opened_crisis(seed.reputation, admin, scope.tenant, scope.first("brands"))
    scope.add("crises", crisis)
    room = scope.add("room", f"{crisis}/room")
    statements: list[str] = []
    async with grpc.aio.insecure_channel(seed.platform.targets["reputation"]) as channel:
        stub = crisis_response_pb2_grpc.CrisisResponseServiceStub(channel)

        async def proposed() -> bool:
            found = await stub.GetCrisisRoom(cr.GetCrisisRoomRequest(name=room), metadata=admin)
            statements.extend(s.name for s in found.statements)
            return bool(statements)

        await eventually(proposed, seconds=60)
    scope.add("statements", statements[0])
