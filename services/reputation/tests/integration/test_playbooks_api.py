"""Playbooks over gRPC: CRUD of a brand's and a subsidiary's playbooks, who may change them,
another tenant's names NOT_FOUND, and bad input refused with a stable reason (SQLite or
PostgreSQL)."""

from typing import TYPE_CHECKING, Any

import grpc
from google.protobuf.field_mask_pb2 import FieldMask
from sqlalchemy import select
from vigie.reputation.v1 import crisis_response_pb2 as cr
from vigie.reputation.v1 import crisis_response_pb2_grpc
from vigie.reputation.v1 import reputation_pb2 as rpc
from vigie.reputation.v1 import resources_pb2 as pb
from vigie_reputation.adapters.orm import KnownBrandRow
from vigie_runtime.principal import Role
from vigie_runtime.testing.waiting import eventually

if TYPE_CHECKING:
    from conftest import Reputation

TENANT = "t_acme"
BRAND = f"tenants/{TENANT}/brands/lumiere"
FRANCE = f"tenants/{TENANT}/subsidiaries/france"


async def known_brand(reputation: "Reputation") -> None:
    await reputation.brand(TENANT, "lumiere", [])

    async def known() -> bool:
        return bool(await reputation.store.rows(select(KnownBrandRow.id)))

    await eventually(known, 30)


def a_playbook(webhook: str = "") -> cr.Playbook:
    steps = [cr.AlertStep(member=f"tenants/{TENANT}/members/m_chloe", delay_seconds=0)]
    if webhook:
        steps.append(cr.AlertStep(webhook=webhook, delay_seconds=60))
    return cr.Playbook(
        display_name="Product recall",
        alert_steps=steps,
        holding_statements=[
            cr.HoldingStatement(language="fr", text="Nous examinons la situation."),
            cr.HoldingStatement(language="en", text="We are looking into it."),
        ],
        queue_hold=cr.QUEUE_HOLD_HOLD,
    )


async def test_a_manager_creates_reads_lists_updates_and_deletes_playbooks(
    reputation: "Reputation",
) -> None:
    await known_brand(reputation)
    stub = crisis_response_pb2_grpc.CrisisResponseServiceStub(reputation.channel)
    manager = reputation.as_role(TENANT, Role.SOCIAL_MEDIA_MANAGER, FRANCE)
    hook = await reputation.stub.CreateWebhook(
        rpc.CreateWebhookRequest(
            parent=f"tenants/{TENANT}",
            webhook=pb.Webhook(display_name="pager", url="http://127.0.0.1:9/h", secret="s" * 32),
        ),
        metadata=reputation.admin(TENANT),
    )
    request = cr.CreatePlaybookRequest(
        parent=BRAND, playbook=a_playbook(hook.name), request_id="pb-1"
    )
    made = await stub.CreatePlaybook(request, metadata=manager)
    assert made.name.startswith(f"{BRAND}/playbooks/")
    assert [s.webhook for s in made.alert_steps] == ["", hook.name]
    again = await stub.CreatePlaybook(request, metadata=manager)
    assert again.name == made.name  # the same request id: the same playbook
    fallback = await stub.CreatePlaybook(
        cr.CreatePlaybookRequest(parent=FRANCE, playbook=a_playbook()), metadata=manager
    )
    assert fallback.name.startswith(f"{FRANCE}/playbooks/")
    read = await stub.GetPlaybook(cr.GetPlaybookRequest(name=made.name), metadata=manager)
    assert read == made
    listed = await stub.ListPlaybooks(cr.ListPlaybooksRequest(parent=BRAND), metadata=manager)
    assert [p.name for p in listed.playbooks] == [made.name]
    change = cr.Playbook(name=made.name, queue_hold=cr.QUEUE_HOLD_KEEP_PUBLISHING, etag=made.etag)
    updated = await stub.UpdatePlaybook(
        cr.UpdatePlaybookRequest(playbook=change, update_mask=FieldMask(paths=["queue_hold"])),
        metadata=manager,
    )
    assert updated.queue_hold == cr.QUEUE_HOLD_KEEP_PUBLISHING
    assert list(updated.holding_statements) == list(made.holding_statements)
    await stub.DeletePlaybook(cr.DeletePlaybookRequest(name=made.name), metadata=manager)
    listed = await stub.ListPlaybooks(cr.ListPlaybooksRequest(parent=BRAND), metadata=manager)
    assert list(listed.playbooks) == []


async def test_only_managers_change_playbooks_and_other_tenants_see_nothing(
    reputation: "Reputation", refused: Any
) -> None:
    await known_brand(reputation)
    stub = crisis_response_pb2_grpc.CrisisResponseServiceStub(reputation.channel)
    made = await stub.CreatePlaybook(
        cr.CreatePlaybookRequest(parent=BRAND, playbook=a_playbook()),
        metadata=reputation.admin(TENANT),
    )
    for role in (Role.ANALYST, Role.COMMUNITY_MANAGER):
        who = reputation.as_role(TENANT, role, FRANCE)
        create = cr.CreatePlaybookRequest(parent=BRAND, playbook=a_playbook())
        await refused(
            stub.CreatePlaybook(create, metadata=who), grpc.StatusCode.PERMISSION_DENIED,
            "ROLE_REQUIRED",
        )  # fmt: skip
        read = await stub.GetPlaybook(cr.GetPlaybookRequest(name=made.name), metadata=who)
        assert read.name == made.name  # reading is for every role of the subsidiary
    stranger = reputation.admin("t_other")
    await refused(
        stub.GetPlaybook(cr.GetPlaybookRequest(name=made.name), metadata=stranger),
        grpc.StatusCode.NOT_FOUND,
        "PLAYBOOK_NOT_FOUND",
    )
    await refused(
        stub.ListPlaybooks(cr.ListPlaybooksRequest(parent=BRAND), metadata=stranger),
        grpc.StatusCode.NOT_FOUND,
        "BRAND_NOT_FOUND",
    )


async def test_bad_playbooks_are_refused_with_a_reason(
    reputation: "Reputation", refused: Any
) -> None:
    stub = crisis_response_pb2_grpc.CrisisResponseServiceStub(reputation.channel)
    admin = reputation.admin(TENANT)
    both = cr.AlertStep(
        member=f"tenants/{TENANT}/members/m", webhook=f"tenants/{TENANT}/webhooks/w"
    )
    cases: list[tuple[cr.Playbook, Any, str]] = [
        (cr.Playbook(display_name="x", alert_steps=[both]), grpc.StatusCode.INVALID_ARGUMENT,
         "STEP_TARGET_INVALID"),
        (cr.Playbook(display_name="x", alert_steps=[cr.AlertStep(
            webhook=f"tenants/{TENANT}/webhooks/nope")]), grpc.StatusCode.NOT_FOUND,
         "WEBHOOK_NOT_FOUND"),
        (cr.Playbook(display_name="x", alert_steps=[cr.AlertStep(
            member=f"tenants/{TENANT}/members/m", delay_seconds=-1)]),
         grpc.StatusCode.INVALID_ARGUMENT, "DELAY_OUT_OF_RANGE"),
        (cr.Playbook(display_name="x", holding_statements=[
            cr.HoldingStatement(language="fr", text="a"),
            cr.HoldingStatement(language="fr", text="b")]),
         grpc.StatusCode.INVALID_ARGUMENT, "DUPLICATE_LANGUAGE"),
        (cr.Playbook(display_name="x", holding_statements=[
            cr.HoldingStatement(language="French!", text="a")]),
         grpc.StatusCode.INVALID_ARGUMENT, "LANGUAGE_INVALID"),
        (cr.Playbook(display_name="x", holding_statements=[
            cr.HoldingStatement(language="fr", text=" ")]),
         grpc.StatusCode.INVALID_ARGUMENT, "STATEMENT_TEXT_INVALID"),
        (cr.Playbook(display_name="x", alert_steps=[cr.AlertStep(
            member="tenants/t_other/members/m")]), grpc.StatusCode.NOT_FOUND,
         "MEMBER_NOT_FOUND"),
    ]  # fmt: skip
    for playbook, code, reason in cases:
        request = cr.CreatePlaybookRequest(parent=BRAND, playbook=playbook)
        await refused(stub.CreatePlaybook(request, metadata=admin), code, reason)
    await refused(
        stub.CreatePlaybook(
            cr.CreatePlaybookRequest(parent=f"tenants/{TENANT}", playbook=a_playbook()),
            metadata=admin,
        ),
        grpc.StatusCode.INVALID_ARGUMENT,
        "INVALID_ARGUMENT",
    )
