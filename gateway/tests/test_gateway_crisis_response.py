"""Playbooks and crisis rooms through GraphQL, against the real directory, listener and
reputation (SQLite + embedded NATS, or the servers): a playbook made, listed, changed under an
etag and deleted, bad ones refused with typed errors; then a crisis opened by a partner's
back-dated negative burst shows its room (the playbook applied, its statements proposed) and
its timeline, an analyst and another tenant cannot approve a statement, a social media manager
can, and the `crisisRoomChanged` subscriber (npm `graphql-ws`) receives that approval while
another tenant's subscription to the crisis ends with NOT_FOUND."""

import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from vigie.directory.v1 import directory_pb2 as dpb
from vigie.directory.v1 import directory_pb2_grpc
from vigie.directory.v1 import resources_pb2 as dres
from vigie.listener.v1 import listener_pb2 as lpb
from vigie.listener.v1 import listener_pb2_grpc
from vigie.listener.v1 import resources_pb2 as lres
from vigie.reputation.v1 import reputation_pb2_grpc
from vigie_directory.testing import ADMIN_PASSWORD
from vigie_gateway.live.hub import EventHub
from vigie_gateway.live.testing import NodeSubscriber, error_codes, node_missing
from vigie_gateway.testing import Front, graphql_front, payload_errors, refusal, succeeded
from vigie_runtime.grpc_client import bearer, open_channel
from vigie_runtime.principal import Principal, Role, RoleGrant
from vigie_runtime.testing.waiting import eventually
from vigie_runtime.tokens import SigningKey, TokenIssuer

# The burst that opens a crisis is the security world's too (tests/security/world_crisis.py):
# the repository's root makes that package importable when only the gateway's tests run.
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from tests.security.world_crisis import (
    CRISIS_SETTINGS,
    burst,
    history,
    opened_crisis,
    push,
)

PLAYBOOK = """id displayName queueHold etag alertSteps { memberId webhookId delaySeconds }
  holdingStatements { language text }"""
ERRORS = "errors { code reason field }"
CREATE = f"""mutation($i: CreatePlaybookInput!) {{ createPlaybook(input: $i) {{
  playbook {{ {PLAYBOOK} }} {ERRORS} }} }}"""
UPDATE = f"""mutation($i: UpdatePlaybookInput!) {{ updatePlaybook(input: $i) {{
  playbook {{ {PLAYBOOK} }} {ERRORS} }} }}"""
DELETE = f"""mutation($i: DeletePlaybookInput!) {{ deletePlaybook(input: $i) {{
  deletedId {ERRORS} }} }}"""
LIST = "query($p: ID!) { playbooks(parentId: $p) { nodes { id displayName } } }"
ROOM = """query($c: ID!) { crisisRoom(crisisId: $c) { id crisis { id status }
  playbook { id } statements { id language state approverId }
  notifications { step memberId state } since { volume negative } heldPostIds } }"""
TIMELINE = "query($c: ID!) { crisisTimeline(crisisId: $c, first: 50) { nodes { kind summary } } }"
APPROVE = f"""mutation($i: ApproveStatementInput!) {{ approveStatement(input: $i) {{
  statement {{ id state approverId }} {ERRORS} }} }}"""
EXPORT = f"""mutation($i: ExportCrisisRoomInput!) {{ exportCrisisRoom(input: $i) {{
  report {{ id }} {ERRORS} }} }}"""
LIVE = """subscription($c: ID!) { crisisRoomChanged(crisis: $c) { crisisId
  entry { kind summary actorId } } }"""


@dataclass
class Crisis:
    """A tenant with a subsidiary and its brand, known by every service, behind the gateway."""

    front: Front  # logged in as the tenant's group admin
    ws_url: str
    targets: dict[str, str]
    issuer: TokenIssuer
    tenant: str  # tenants/{t}
    rival: str  # the other group's tenant
    subsidiary: str
    brand: str
    admin: Any  # the admin's gRPC metadata
    hub: EventHub
    clients: list[NodeSubscriber]

    def token(self, tenant: str, role: Role, subsidiary: str | None) -> str:
        who = Principal(
            subject=f"{tenant}/members/01aaaaaaaaaaaaaaaaaaaaaaaa",
            tenant=tenant.removeprefix("tenants/"), grants=(RoleGrant(role, subsidiary),),
        )  # fmt: skip
        return self.issuer.issue(who, timedelta(minutes=30))[0]

    async def ask_as(self, token: str, query: str, **variables: Any) -> dict[str, Any]:
        own, self.front.token = self.front.token, token
        try:
            return await self.front.ask(query, **variables)
        finally:
            self.front.token = own

    async def subscribe(self, token: str, **variables: Any) -> NodeSubscriber:
        params = {"authorization": f"Bearer {token}"}
        client = await NodeSubscriber.start(self.ws_url, params, LIVE, variables=variables)
        self.clients.append(client)
        return client


@pytest.fixture
async def crisis(
    tmp_path: Path, behind_gateway: Callable[..., Awaitable[Any]], monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[Crisis]:
    for key, value in CRISIS_SETTINGS.items():  # a detector that warms up in 2 hours, not a day
        monkeypatch.setenv(f"REPUTATION_{key.upper()}", str(value))
    platform = await behind_gateway("listener", "reputation")
    key = SigningKey.from_pem((tmp_path / "keys" / "signing-key.pem").read_bytes())
    async with graphql_front(platform.app) as front:
        await front.log_in("admin@acme.test", ADMIN_PASSWORD)
        admin = bearer(front.token)
        tenant = platform.tenants["Acme Group"]
        async with open_channel(platform.targets["directory"]) as channel:
            directory = directory_pb2_grpc.DirectoryServiceStub(channel)
            sub = await directory.CreateSubsidiary(
                dpb.CreateSubsidiaryRequest(parent=tenant, subsidiary=dres.Subsidiary(
                    display_name="France", country="FR", locale="fr-FR",
                    time_zone="Europe/Paris")),
                metadata=admin,
            )  # fmt: skip
            brand = await directory.CreateBrand(
                dpb.CreateBrandRequest(parent=tenant, brand=dres.Brand(
                    subsidiary=sub.name, display_name="Lumière", kind=dres.BRAND_KIND_OWN)),
                metadata=admin,
            )  # fmt: skip
        state = Crisis(
            front, front.url.replace("http://", "ws://"), platform.targets,
            TokenIssuer(key, "vigie-directory", "vigie"), tenant,
            platform.tenants["Rival Group"], sub.name, brand.name, admin,
            platform.app.app.state.live_hub, [],
        )  # fmt: skip
        yield state  # pytest resumes here after the test, passed or failed
        for client in state.clients:
            await client.close()


async def made_playbook(crisis: Crisis, **fields: Any) -> dict[str, Any]:
    """A playbook of the brand, retried until the reputation has heard of the brand."""
    given = {"parentId": crisis.brand, "requestId": "playbook-1", **fields}
    answers: list[dict[str, Any]] = []

    async def made() -> bool:
        answers.append(await crisis.front.ask(CREATE, i=given))
        return succeeded(answers[-1])

    await eventually(made, 60)
    return answers[-1]["data"]["createPlaybook"]["playbook"]  # type: ignore[no-any-return]


STATEMENTS = [
    {"language": "fr", "text": "Nous examinons la situation."},
    {"language": "en", "text": "We are looking into it."},
]


async def test_a_playbook_is_made_listed_changed_and_deleted_and_bad_ones_get_typed_errors(
    crisis: Crisis,
) -> None:
    member = f"{crisis.tenant}/members/m_chloe"
    made = await made_playbook(
        crisis, displayName="Lumière", alertSteps=[{"memberId": member}],
        holdingStatements=STATEMENTS, queueHold="KEEP_PUBLISHING",
    )  # fmt: skip
    assert made["alertSteps"] == [{"memberId": member, "webhookId": None, "delaySeconds": 0}]
    assert made["queueHold"] == "KEEP_PUBLISHING" and len(made["holdingStatements"]) == 2
    listed = await crisis.front.ask(LIST, p=crisis.brand)
    assert [n["id"] for n in listed["data"]["playbooks"]["nodes"]] == [made["id"]]

    # Only the fields given change: the steps and statements stay.
    renamed = await crisis.front.ask(
        UPDATE, i={"id": made["id"], "etag": made["etag"], "displayName": "Crise"}
    )
    changed = renamed["data"]["updatePlaybook"]["playbook"]
    assert changed["displayName"] == "Crise" and changed["alertSteps"] == made["alertSteps"]
    assert changed["holdingStatements"] == made["holdingStatements"]
    stale = await crisis.front.ask(
        UPDATE, i={"id": made["id"], "etag": made["etag"], "displayName": "Late"}
    )
    assert payload_errors(stale)[0]["code"] == "CONFLICT"
    nothing = await crisis.front.ask(UPDATE, i={"id": made["id"]})
    assert payload_errors(nothing)[0]["code"] == "INVALID_INPUT"

    bad = {
        "LANGUAGE_INVALID": {"holdingStatements": [{"language": "French!", "text": "a"}]},
        "TOO_MANY_STEPS": {"alertSteps": [{"memberId": member}] * 21},
        "MEMBER_NOT_FOUND": {"alertSteps": [{"memberId": f"{crisis.rival}/members/m"}]},
    }
    for reason, fields in bad.items():
        answer = await crisis.front.ask(
            CREATE, i={"parentId": crisis.brand, "displayName": "x", **fields}
        )
        (error,) = payload_errors(answer)
        assert error["reason"] == reason, answer
        assert error["code"] == ("NOT_FOUND" if reason == "MEMBER_NOT_FOUND" else "INVALID_INPUT")
        assert answer["data"]["createPlaybook"]["playbook"] is None

    deleted = await crisis.front.ask(DELETE, i={"id": made["id"], "etag": changed["etag"]})
    assert deleted["data"]["deletePlaybook"]["deletedId"] == made["id"], deleted
    listed = await crisis.front.ask(LIST, p=crisis.brand)
    assert listed["data"]["playbooks"]["nodes"] == []


async def test_a_burst_opens_a_crisis_whose_room_a_manager_answers_live(crisis: Crisis) -> None:
    if reason := node_missing():
        pytest.skip(f"the graphql-ws client needs Node.js and npm: {reason}")
    playbook = await made_playbook(
        crisis, displayName="Lumière", holdingStatements=STATEMENTS, queueHold="KEEP_PUBLISHING",
        alertSteps=[{"memberId": f"{crisis.tenant}/members/m_chloe"}],
    )  # fmt: skip
    name = await open_a_crisis(crisis)

    rooms: list[dict[str, Any]] = []

    async def proposed() -> bool:
        answer = await crisis.front.ask(ROOM, c=name)
        rooms.append(answer["data"]["crisisRoom"])
        return len(rooms[-1]["statements"]) == 2

    await eventually(proposed, 60)
    room = rooms[-1]
    assert room["id"] == f"{name}/room" and room["crisis"] == {"id": name, "status": "OPENED"}
    assert room["playbook"]["id"] == playbook["id"]
    assert {s["language"] for s in room["statements"]} == {"fr", "en"}
    assert {s["state"] for s in room["statements"]} == {"PROPOSED"}
    assert [n["step"] for n in room["notifications"]] == [1]
    assert room["since"]["volume"] >= room["since"]["negative"] > 0
    timeline = await crisis.front.ask(TIMELINE, c=name)
    kinds = [e["kind"] for e in timeline["data"]["crisisTimeline"]["nodes"]]
    assert kinds[0] == "DETECTED" and "PLAYBOOK_APPLIED" in kinds, kinds

    manager = crisis.token(crisis.tenant, Role.SOCIAL_MEDIA_MANAGER, crisis.subsidiary)
    watcher = await crisis.subscribe(manager, c=name)
    stranger = await crisis.subscribe(crisis.token(crisis.rival, Role.GROUP_ADMIN, None), c=name)
    assert error_codes(await _first_outcome(stranger)) == ["CRISIS_NOT_FOUND"]
    await _listening(crisis)

    statement = room["statements"][0]["id"]
    analyst = crisis.token(crisis.tenant, Role.ANALYST, crisis.subsidiary)
    assert refusal(await crisis.ask_as(analyst, APPROVE, i={"id": statement})) == "ROLE_REQUIRED"
    rival = crisis.token(crisis.rival, Role.GROUP_ADMIN, None)
    foreign = await crisis.ask_as(rival, APPROVE, i={"id": statement})
    assert payload_errors(foreign)[0]["code"] == "NOT_FOUND", foreign
    assert foreign["data"]["approveStatement"]["statement"] is None
    approved = await crisis.ask_as(manager, APPROVE, i={"id": statement})
    assert succeeded(approved), approved
    assert approved["data"]["approveStatement"]["statement"]["state"] == "APPROVED"

    entry = await _entry_of_kind(watcher, "STATEMENT_APPROVED")
    assert entry["crisisId"] == name and entry["entry"]["actorId"]
    unresolved = await crisis.front.ask(EXPORT, i={"crisisId": name, "format": "CSV"})
    assert payload_errors(unresolved)[0]["reason"] == "CRISIS_NOT_RESOLVED", unresolved


async def open_a_crisis(crisis: Crisis) -> str:
    """A partner of the brand pushes the history and the burst; the crisis's name."""
    async with open_channel(crisis.targets["directory"]) as channel:
        directory = directory_pb2_grpc.DirectoryServiceStub(channel)
        made = await directory.CreatePartnerClient(
            dpb.CreatePartnerClientRequest(parent=crisis.tenant, partner_client=dres.PartnerClient(
                display_name="agency", brands=[crisis.brand], scopes=["mentions.ingest"])),
            metadata=crisis.admin,
        )  # fmt: skip
        token = await directory.IssuePartnerToken(
            dpb.IssuePartnerTokenRequest(
                client_id=made.partner_client.client_id, client_secret=made.client_secret
            )
        )
    async with open_channel(crisis.targets["listener"]) as channel:
        listener = listener_pb2_grpc.ListenerServiceStub(channel)
        source = await listener.CreateSource(
            lpb.CreateSourceRequest(parent=crisis.tenant, source=lres.Source(
                display_name="agency", kind=lres.SOURCE_KIND_PARTNER, enabled=True,
                brands=[crisis.brand],
                partner=lres.PartnerSourceConfig(partner_client=made.partner_client.name))),
            metadata=crisis.admin,
        )  # fmt: skip
        said = [
            *history(source.name, crisis.brand, "lumiere"),
            *burst(source.name, crisis.brand, "lumiere"),
        ]
        await push(listener, bearer(token.token), said)
    async with open_channel(crisis.targets["reputation"]) as channel:
        reputation = reputation_pb2_grpc.ReputationServiceStub(channel)
        return await opened_crisis(reputation, crisis.admin, crisis.tenant, crisis.brand)


async def _first_outcome(client: NodeSubscriber) -> dict[str, Any]:
    while "connected" in (line := await client.line()):
        pass
    return line


async def _listening(crisis: Crisis) -> None:
    """Until the watcher's subscription is registered in the hub (the stranger's ended)."""
    tenant = crisis.tenant.removeprefix("tenants/")

    async def registered() -> bool:
        return crisis.hub.subscriber_count("reputation", tenant) == 1

    await eventually(registered)


async def _entry_of_kind(client: NodeSubscriber, kind: str) -> dict[str, Any]:
    """The first event of that kind (the room may gain others first: notifications)."""
    for _ in range(20):
        result = await client.next_result()
        event: dict[str, Any] = result["data"]["crisisRoomChanged"]
        if event["entry"]["kind"] == kind:
            return event
    raise AssertionError(f"no {kind} among {client.lines}")
