"""A crisis opened by a burst of negative mentions applies its brand's playbook (not the
subsidiary's fallback): the people and the webhook are notified in order, delays honoured; the
holding statements are proposed and approved in one step by a manager only; the publisher's
hold and publication land in the room's timeline once each; the room is exported after the
crisis resolves, never before (SQLite or PostgreSQL)."""

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import grpc
from google.protobuf import json_format
from vigie.publisher.v1 import events_pb2 as publisher_events
from vigie.publisher.v1 import resources_pb2 as publisher
from vigie.reputation.v1 import crisis_response_pb2 as cr
from vigie.reputation.v1 import crisis_response_pb2_grpc, events_pb2, reports_pb2, reports_pb2_grpc
from vigie.reputation.v1 import reputation_pb2 as rpc
from vigie.reputation.v1 import resources_pb2 as pb
from vigie_reputation.adapters.orm import CrisisRow, CrisisWatchRow
from vigie_reputation.app import crises, playbook_apply
from vigie_reputation.app.events import (
    CRISIS_NOTIFIED,
    CRISIS_OPENED,
    CRISIS_RESOLVED,
    POST_PUBLISHED,
    QUEUE_HELD,
    QUEUE_RELEASED,
    STATEMENT_APPROVED,
)
from vigie_runtime.events import cloudevent_headers
from vigie_runtime.nats_connection import ensure_stream
from vigie_runtime.principal import Role
from vigie_runtime.testing.waiting import eventually

from .test_crisis import BURST, SECRET
from .test_playbooks_api import BRAND, FRANCE, TENANT, known_brand

if TYPE_CHECKING:
    from conftest import Received, Receiver, Reputation

HISTORY = 48  # buckets of steady mentions before the burst
CALM = 2  # buckets between the burst and now
STEADY = ["awful, I hate it", "love it, great", "wonderful, love it"]


def buckets_from(start: datetime, count: int) -> Iterator[datetime]:
    for index in range(count):
        yield start + timedelta(minutes=5 * index, seconds=10)


async def steady(reputation: "Reputation", start: datetime, count: int, prefix: str) -> int:
    for b, at in enumerate(buckets_from(start, count)):
        for i, text in enumerate(STEADY):
            await reputation.listener.capture(TENANT, f"{prefix}{b}-{i}", text, published=at)
    return count * len(STEADY)


async def playbooks(reputation: "Reputation", stub: Any, hook: str) -> str:
    admin = reputation.admin(TENANT)
    steps = [
        cr.AlertStep(member=f"tenants/{TENANT}/members/m_chloe"),
        cr.AlertStep(webhook=hook),
        cr.AlertStep(member=f"tenants/{TENANT}/members/m_ceo", delay_seconds=1),
    ]
    statements = [
        cr.HoldingStatement(language="fr", text="Nous examinons la situation."),
        cr.HoldingStatement(language="en", text="We are looking into it."),
    ]
    fallback = cr.Playbook(display_name="France", holding_statements=statements[:1])
    await stub.CreatePlaybook(
        cr.CreatePlaybookRequest(parent=FRANCE, playbook=fallback), metadata=admin
    )
    mine = cr.Playbook(display_name="Lumière", alert_steps=steps, holding_statements=statements)
    made = await stub.CreatePlaybook(
        cr.CreatePlaybookRequest(parent=BRAND, playbook=mine), metadata=admin
    )
    return str(made.name)


async def publish_as_publisher(
    reputation: "Reputation", event_type: Any, message: Any, event_id: str, msg_id: str = ""
) -> None:
    headers = cloudevent_headers(
        event_id, event_type.ce_type, "publisher", TENANT, datetime.now(UTC)
    )
    headers["Nats-Msg-Id"] = msg_id or event_id
    subject = event_type.subject(TENANT)
    await reputation.js.publish(subject, message.SerializeToString(), headers=headers)


async def test_a_burst_applies_its_playbook_and_the_room_records_the_response(
    reputation_with_crisis_settings: "Reputation",
    reputation_events: "Received",
    receivers: Any,
    refused: Any,
    plumbing: Any,
) -> None:
    reputation = reputation_with_crisis_settings
    await ensure_stream(reputation.js, "publisher")
    await known_brand(reputation)
    stub = crisis_response_pb2_grpc.CrisisResponseServiceStub(reputation.channel)
    sink: Receiver = await receivers()
    hook = await reputation.stub.CreateWebhook(
        rpc.CreateWebhookRequest(
            parent=f"tenants/{TENANT}",
            webhook=pb.Webhook(display_name="on-call", url=sink.url, secret=SECRET),
        ),
        metadata=reputation.admin(TENANT),
    )
    playbook = await playbooks(reputation, stub, hook.name)
    now = datetime.now(UTC)
    burst = now.replace(minute=now.minute - now.minute % 5, second=0, microsecond=0)
    burst -= timedelta(minutes=5 * CALM)
    total = await steady(reputation, burst - timedelta(minutes=5 * HISTORY), HISTORY, "h")
    for i in range(BURST):
        text = "worst brand ever, disgusting, awful, I hate them"
        at = burst + timedelta(seconds=20)
        await reputation.listener.capture(TENANT, f"b{i}", text, published=at, language="fr")
    total += BURST

    async def opened() -> bool:
        return len(reputation_events.of_type(CRISIS_OPENED.ce_type)) == 1

    await eventually(opened, 90)
    message = reputation_events.of_type(CRISIS_OPENED.ce_type)[0]
    crisis = events_pb2.CrisisOpened.FromString(message.data)
    assert crisis.queue_hold == cr.QUEUE_HOLD_HOLD
    room_name = f"{crisis.crisis.name}/room"
    admin = reputation.admin(TENANT)

    async def all_sent() -> bool:
        room = await stub.GetCrisisRoom(cr.GetCrisisRoomRequest(name=room_name), metadata=admin)
        return [n.state for n in room.notifications] == [cr.NOTIFICATION_STATE_SENT] * 3

    await eventually(all_sent, 30)
    room = await stub.GetCrisisRoom(cr.GetCrisisRoomRequest(name=room_name), metadata=admin)
    assert room.playbook.name == playbook  # the brand's, not the subsidiary's fallback
    assert [n.step for n in room.notifications] == [1, 2, 3]
    sent = [n.send_time.ToDatetime() for n in room.notifications]
    assert sent == sorted(sent) and sent[2] - sent[0] >= timedelta(seconds=1)
    assert {s.language: s.state for s in room.statements} == {
        "fr": cr.STATEMENT_STATE_PROPOSED,
        "en": cr.STATEMENT_STATE_PROPOSED,
    }
    assert room.since.negative_count >= BURST
    notified = [
        events_pb2.CrisisNotified.FromString(m.data)
        for m in reputation_events.of_type(CRISIS_NOTIFIED.ce_type)
    ]
    assert sorted(n.notification.step for n in notified) == [1, 2, 3]

    async def webhook_told() -> bool:
        return any(
            b'"type": "vigie.reputation.crisis.notified.v1"' in body for _, body in sink.requests
        )

    await eventually(webhook_told, 30)
    told = [b for _, b in sink.requests if b"crisis.notified" in b]
    assert len(told) == 1 and b'"step": 2' in told[0]

    (french,) = [s for s in room.statements if s.language == "fr"]
    approve = cr.ApproveStatementRequest(name=french.name)
    for role in (Role.ANALYST, Role.COMMUNITY_MANAGER):
        who = reputation.as_role(TENANT, role, FRANCE)
        await refused(
            stub.ApproveStatement(approve, metadata=who),
            grpc.StatusCode.PERMISSION_DENIED,
            "ROLE_REQUIRED",
        )
    await refused(
        stub.ApproveStatement(approve, metadata=reputation.admin("t_other")),
        grpc.StatusCode.NOT_FOUND,
        "STATEMENT_NOT_FOUND",
    )
    bad = cr.ApproveStatementRequest(
        name=french.name, social_accounts=[f"tenants/{TENANT}/brands/other/socialAccounts/a"]
    )
    await refused(
        stub.ApproveStatement(bad, metadata=admin),
        grpc.StatusCode.INVALID_ARGUMENT,
        "ACCOUNT_NOT_OF_BRAND",
    )
    manager = reputation.as_role(TENANT, Role.SOCIAL_MEDIA_MANAGER, FRANCE)
    approved = await stub.ApproveStatement(approve, metadata=manager)
    assert approved.state == cr.STATEMENT_STATE_APPROVED and approved.approver
    again = await stub.ApproveStatement(approve, metadata=manager)
    assert again == approved  # a retried approval changes nothing

    async def announced() -> bool:
        return len(reputation_events.of_type(STATEMENT_APPROVED.ce_type)) >= 1

    await eventually(announced, 30)
    (told_publisher,) = reputation_events.of_type(STATEMENT_APPROVED.ce_type)
    event = events_pb2.StatementApproved.FromString(told_publisher.data)
    assert (event.crisis, event.brand, event.statement) == (crisis.crisis.name, BRAND, french.name)
    assert (event.language, event.text) == ("fr", "Nous examinons la situation.")

    queue = publisher.Queue(
        name=f"{BRAND}/queue", brand=BRAND, held=True, held_by=crisis.crisis.name
    )
    held_post = f"{BRAND}/posts/p_held"
    # Another tenant's post in the event is not this room's: it is left out.
    foreign = f"tenants/other/brands/{BRAND.split('/')[-1]}/posts/p_foreign"
    hold = publisher_events.QueueHeld(queue=queue, held_posts=[held_post, foreign])
    await publish_as_publisher(reputation, QUEUE_HELD, hold, "held-1")
    # A post scheduled into the held queue: announced by another hold naming it.
    later_post = f"{BRAND}/posts/p_later"
    later = publisher_events.QueueHeld(queue=queue, held_posts=[later_post])
    await publish_as_publisher(reputation, QUEUE_HELD, later, "held-2")
    post = f"{BRAND}/posts/p_statement"
    published = publisher_events.PostPublished(
        post=publisher.Post(name=post, brand=BRAND), statement=french.name
    )
    await publish_as_publisher(reputation, POST_PUBLISHED, published, "pub-1")
    # Redelivered (a new JetStream message with the same CloudEvents id): recorded once.
    await publish_as_publisher(reputation, POST_PUBLISHED, published, "pub-1", msg_id="pub-1-again")
    release = publisher_events.QueueReleased(
        queue=publisher.Queue(name=queue.name, brand=BRAND),
        released_posts=[held_post],
        held_by=crisis.crisis.name,
    )
    await publish_as_publisher(reputation, QUEUE_RELEASED, release, "released-1")
    # A member's own hold after them: once it is consumed, so is the redelivery before it.
    member_hold = publisher_events.QueueHeld(queue=publisher.Queue(name=queue.name, held=True))
    await publish_as_publisher(reputation, QUEUE_HELD, member_hold, "held-by-member")

    async def statement_published() -> bool:
        entries = await timeline(stub, crisis.crisis.name, admin)
        return cr.TIMELINE_ENTRY_KIND_STATEMENT_PUBLISHED in [e.kind for e in entries]

    await eventually(statement_published, 30)
    # The mentions, the brand, the crisis's two holds, the publication, the release and the
    # member's hold.
    await eventually(lambda: reputation.processed(total + 6), 60)
    entries = await timeline(stub, crisis.crisis.name, admin, page_size=3)
    held_ones = (held_post, later_post)
    kinds = [e.kind for e in entries if e.subject not in held_ones]
    # Each post the hold stopped and the release let go, after the queue's own entry.
    about_posts = [(e.kind, e.subject) for e in entries if e.subject in held_ones]
    assert about_posts == [
        (cr.TIMELINE_ENTRY_KIND_QUEUE_HELD, held_post),
        (cr.TIMELINE_ENTRY_KIND_QUEUE_HELD, later_post),
        (cr.TIMELINE_ENTRY_KIND_QUEUE_RELEASED, held_post),
    ]
    assert kinds[:2] == [cr.TIMELINE_ENTRY_KIND_DETECTED, cr.TIMELINE_ENTRY_KIND_PLAYBOOK_APPLIED]
    assert kinds.count(cr.TIMELINE_ENTRY_KIND_STATEMENT_PUBLISHED) == 1
    assert kinds.count(cr.TIMELINE_ENTRY_KIND_QUEUE_HELD) == 1
    assert kinds.count(cr.TIMELINE_ENTRY_KIND_QUEUE_RELEASED) == 1
    assert kinds.count(cr.TIMELINE_ENTRY_KIND_PERSON_NOTIFIED) == 2
    assert kinds.count(cr.TIMELINE_ENTRY_KIND_WEBHOOK_NOTIFIED) == 1
    assert kinds.count(cr.TIMELINE_ENTRY_KIND_STATEMENT_PROPOSED) == 2
    assert kinds.index(cr.TIMELINE_ENTRY_KIND_STATEMENT_APPROVED) < kinds.index(
        cr.TIMELINE_ENTRY_KIND_STATEMENT_PUBLISHED
    )
    room = await stub.GetCrisisRoom(cr.GetCrisisRoomRequest(name=room_name), metadata=admin)
    (french,) = [s for s in room.statements if s.language == "fr"]
    assert french.state == cr.STATEMENT_STATE_PUBLISHED and list(french.posts) == [post]
    assert list(room.held_posts) == [held_post, later_post]

    # Applying the playbook again (a replayed opening) adds nothing.
    async with plumbing.uow() as work:
        row = await work.session.get(CrisisRow, (TENANT, crisis.crisis.name.split("/")[-1]))
        await playbook_apply.crisis_opened(work, row)
        await work.commit()
    after = await stub.GetCrisisRoom(cr.GetCrisisRoomRequest(name=room_name), metadata=admin)
    assert len(after.statements) == 2 and len(after.notifications) == 3
    assert len(await timeline(stub, crisis.crisis.name, admin)) == len(entries)

    export = cr.ExportCrisisRoomRequest(name=room_name, format=reports_pb2.REPORT_FORMAT_CSV)
    await refused(
        stub.ExportCrisisRoom(export, metadata=admin),
        grpc.StatusCode.FAILED_PRECONDITION,
        "CRISIS_NOT_RESOLVED",
    )
    # Resolved through the crisis module's own path (36 calm buckets would take long here).
    async with plumbing.uow() as work:
        watch = await work.session.get(CrisisWatchRow, (TENANT, "lumiere"))
        await crises.withdraw(work, watch)
        await work.commit()

    async def resolved() -> bool:
        return len(reputation_events.of_type(CRISIS_RESOLVED.ce_type)) == 1

    await eventually(resolved, 30)
    report = await stub.ExportCrisisRoom(export, metadata=admin)
    content = await downloaded(reputation, report.name, admin)
    assert "crisis_room" in content and "holding statement published (fr)" in content
    entries = await timeline(stub, crisis.crisis.name, admin)
    assert entries[-1].kind == cr.TIMELINE_ENTRY_KIND_RESOLVED
    room = await stub.GetCrisisRoom(cr.GetCrisisRoomRequest(name=room_name), metadata=admin)
    show_room(room, entries)


def show_room(room: Any, entries: list[Any]) -> None:
    """The scenario's crisis room, for people: printed (pytest -s). The example kept in
    bench/results comes from the end-to-end run (tests/e2e/test_crisis_on_pds.py)."""
    shown = {
        "room": json_format.MessageToDict(room),
        "timeline": [json_format.MessageToDict(e) for e in entries],
    }
    print(json.dumps(shown, indent=2, ensure_ascii=False))


async def timeline(stub: Any, crisis: str, auth: Any, page_size: int = 100) -> list[Any]:
    entries, token = [], ""
    while True:
        request = cr.ListCrisisTimelineRequest(parent=crisis, page_size=page_size, page_token=token)
        page = await stub.ListCrisisTimeline(request, metadata=auth)
        entries += list(page.entries)
        token = page.next_page_token
        if not token:
            return entries


async def downloaded(reputation: "Reputation", name: str, auth: Any) -> str:
    reports = reports_pb2_grpc.ReportServiceStub(reputation.channel)

    async def ready() -> bool:
        got = await reports.GetReport(reports_pb2.GetReportRequest(name=name), metadata=auth)
        assert got.state != reports_pb2.REPORT_STATE_FAILED, got.failure_reason
        return bool(got.state == reports_pb2.REPORT_STATE_READY)

    await eventually(ready, 60)
    chunks = reports.DownloadReport(reports_pb2.DownloadReportRequest(name=name), metadata=auth)
    return b"".join([c.data async for c in chunks]).decode("utf-8-sig")
