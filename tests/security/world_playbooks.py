"""The reputation's crisis response for one subsidiary's brand: a playbook of the brand and one
of its subsidiary (the fallback), alerting a member then the scope's webhook."""

from typing import Any

import grpc
from vigie.reputation.v1 import crisis_response_pb2 as cr
from vigie.reputation.v1 import crisis_response_pb2_grpc

from tests.security.world import Scope, Seeder, until_known


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
