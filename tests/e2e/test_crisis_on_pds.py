"""A crisis, the whole response, on the real local Bluesky PDS: the brand Lumière has a Bluesky
account on the PDS, a playbook (a member, then a webhook, then another member a second later;
holding statements in French and English; hold the queue) and a post scheduled for later. A
partner pushes four hours of steady mentions, then a negative burst: the reputation opens a
crisis and applies the playbook, the webhook receiver is told in order, the publisher holds the
brand's queue and says which post it held, the room shows the notifications, the proposed
statements and the held post. An analyst and another tenant may not approve the French
statement; a social media manager does. The publisher's worker is SIGKILLed after the PDS
confirmed the statement and before its database knew, then restarted: the PDS holds the
statement once and not the held post. The timeline tells detection, alerts, the held post, the
approval and the publication in order; once the crisis is resolved the room exports as CSV and
PDF. The room is printed (pytest -s) and kept in bench/results/crisis_room_example.json.
(SQLite or PostgreSQL.)"""

import asyncio
import json
import os
import signal
import subprocess
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import grpc
import nats
import pytest
from google.protobuf import json_format
from google.protobuf.timestamp_pb2 import Timestamp
from nats.aio.client import Client
from nats.aio.msg import Msg
from vigie.directory.v1 import events_pb2 as directory_events
from vigie.directory.v1 import resources_pb2 as directory
from vigie.listener.v1 import listener_pb2 as listener_rpc
from vigie.publisher.v1 import publisher_pb2 as publisher_rpc
from vigie.publisher.v1 import publisher_pb2_grpc
from vigie.publisher.v1 import resources_pb2 as publisher
from vigie.reputation.v1 import crisis_response_pb2 as cr
from vigie.reputation.v1 import (
    crisis_response_pb2_grpc,
    reports_pb2,
    reports_pb2_grpc,
    reputation_pb2_grpc,
)
from vigie.reputation.v1 import events_pb2 as reputation_events
from vigie.reputation.v1 import reputation_pb2 as rpc
from vigie.reputation.v1 import resources_pb2 as pb
from vigie_directory.app.events import BRAND_CREATED
from vigie_listener.config import Settings as ListenerSettings
from vigie_listener.testing import (
    FRANCE,
    LUMIERE,
    PARTNER_CLIENT,
    TENANT,
    Listener,
    running,
    seed_brands,
    seed_partner_source,
)
from vigie_publisher.adapters.faults import CONFIRMED
from vigie_publisher.bootstrap import build as build_publisher
from vigie_publisher.config import Settings as PublisherSettings
from vigie_publisher.pds_testing import PdsUser, social_account
from vigie_reputation.adapters.orm import CrisisWatchRow
from vigie_reputation.app import crises
from vigie_reputation.bootstrap import build as build_reputation
from vigie_reputation.config import Settings as ReputationSettings
from vigie_reputation.testing import Receiver, webhook_receivers
from vigie_runtime.events import cloudevent_headers
from vigie_runtime.grpc_client import bearer, open_channel
from vigie_runtime.grpc_errors import error_info
from vigie_runtime.host import Plumbing
from vigie_runtime.ids import new_id
from vigie_runtime.nats_connection import ensure_stream
from vigie_runtime.principal import Role
from vigie_runtime.settings import PlatformSettings
from vigie_runtime.testing.bluesky_pds import BlueskyPds
from vigie_runtime.testing.databases import temporary_database
from vigie_runtime.testing.services import serving
from vigie_runtime.testing.tokens import TestKeys
from vigie_runtime.testing.waiting import eventually

from tests.e2e.test_replies_on_pds import _once_known, _posts
from tests.e2e.test_reputation_burst import history, mention, now_bucket

pytestmark = [pytest.mark.e2e, pytest.mark.node, pytest.mark.timeout(1200)]

RESULTS = Path(__file__).resolve().parents[2] / "bench" / "results"
BURST = 80
OPENED = "vigie.reputation.crisis.opened.v1"
NOTIFIED = "vigie.reputation.crisis.notified.v1"
CHLOE = f"tenants/{TENANT}/members/m_chloe"  # the brand's social media manager
CEO = f"tenants/{TENANT}/members/m_ceo"
FRENCH = "Nous savons que certains d'entre vous sont déçus. Nous examinons la situation."
ENGLISH = "We know some of you are disappointed. We are looking into it."
LATER_POST = "La nouvelle collection arrive en boutique samedi !"
HELD_POST_DELAY = timedelta(seconds=60)  # from scheduling LATER_POST to its time


@dataclass
class Platform:
    keys: TestKeys
    listener: Listener
    source: str
    reputation: reputation_pb2_grpc.ReputationServiceStub
    room: crisis_response_pb2_grpc.CrisisResponseServiceStub
    reports: reports_pb2_grpc.ReportServiceStub
    reputation_plumbing: Plumbing
    publisher: publisher_pb2_grpc.PublisherServiceStub
    worker_env: dict[str, str]
    logs: Path
    receiver: Receiver
    events: list[Msg]

    @property
    def admin(self) -> tuple[tuple[str, str], ...]:
        return self.keys.admin(TENANT)

    def member(self, role: Role, subject: str = "") -> tuple[tuple[str, str], ...]:
        return bearer(self.keys.token(TENANT, (role, FRANCE), subject=subject))

    def of_type(self, ce_type: str) -> list[Msg]:
        return [m for m in self.events if (m.headers or {}).get("ce-type") == ce_type]


@pytest.fixture
async def platform(tmp_path: Path, nats_url: str) -> AsyncIterator[Platform]:
    """The listener, the reputation and the publisher's API in this process; the publisher's
    worker (consumers and dispatcher) is a process of its own, started by the test."""
    shared = PlatformSettings(
        jwks_file=tmp_path / "jwks.json", nats_url=nats_url, environment="test"
    )
    keys = TestKeys(shared.jwks_file)
    async with (
        temporary_database(tmp_path, "listener") as listener_url,
        temporary_database(tmp_path, "reputation") as reputation_url,
        temporary_database(tmp_path, "publisher") as publisher_url,
        webhook_receivers() as receivers,
        await nats.connect(nats_url) as client,
    ):
        events: list[Msg] = []

        async def keep(message: Msg) -> None:
            events.append(message)

        await client.subscribe("vigie.reputation.>", cb=keep)
        reputation_spec = build_reputation(
            ReputationSettings(
                database_url=reputation_url, grpc_address="127.0.0.1:0", platform=shared,
                sentiment_model="fast", crisis_warmup_buckets=24, crisis_clock_seconds=3600.0,
                webhook_deadline_seconds=1.0, webhook_backoff_seconds=0.1,
            )
        )  # fmt: skip
        listening = ListenerSettings(
            database_url=listener_url, grpc_address="127.0.0.1:0", platform=shared
        )
        publishing = PublisherSettings(
            database_url=publisher_url, grpc_address="127.0.0.1:0", platform=shared
        )
        worker_env = {
            **os.environ,
            "PUBLISHER_DATABASE_URL": publisher_url,
            "VIGIE_NATS_URL": nats_url,
            "VIGIE_JWKS_FILE": str(shared.jwks_file),
            "VIGIE_ENVIRONMENT": "test",
            "PUBLISHER_DISPATCH_POLL_S": "0.2",
            "PUBLISHER_DISPATCH_CALL_DEADLINE_S": "5",
            "PUBLISHER_DISPATCH_LEASE_S": "12",
        }
        async with (
            running(listening, keys) as listener,
            serving(reputation_spec, mode="all") as reputation_host,
            serving(build_publisher(publishing), mode="api") as publisher_host,
            open_channel(f"127.0.0.1:{reputation_host.grpc_port}") as reputation_channel,
            open_channel(f"127.0.0.1:{publisher_host.grpc_port}") as publisher_channel,
        ):
            await seed_brands(listener_url)
            source = await seed_partner_source(listener_url, "agency", PARTNER_CLIENT)
            await _announce_brand(client)
            yield Platform(
                keys, listener, source,
                reputation_pb2_grpc.ReputationServiceStub(reputation_channel),
                crisis_response_pb2_grpc.CrisisResponseServiceStub(reputation_channel),
                reports_pb2_grpc.ReportServiceStub(reputation_channel),
                reputation_spec.plumbing,
                publisher_pb2_grpc.PublisherServiceStub(publisher_channel),
                worker_env, tmp_path / "worker.log", await receivers(), events,
            )  # fmt: skip


async def _announce_brand(client: Client) -> None:
    """The directory's `brand.created` for Lumière, as the reputation and the publisher's worker
    learn of brands (the listener's replica is seeded by its own testing helper)."""
    stamp = Timestamp()
    stamp.FromDatetime(datetime.now(UTC))
    message = directory_events.BrandCreated(
        brand=directory.Brand(
            name=LUMIERE, subsidiary=FRANCE, display_name="Café Lumière",
            kind=directory.BRAND_KIND_OWN, update_time=stamp,
        )
    )  # fmt: skip
    event_id = f"brand-{TENANT}-lumiere"
    headers = cloudevent_headers(
        event_id, BRAND_CREATED.ce_type, "directory", TENANT, datetime.now(UTC)
    )
    js = client.jetstream()
    await ensure_stream(js, "directory")
    await js.publish(
        BRAND_CREATED.subject(TENANT),
        message.SerializeToString(),
        headers={**headers, "Nats-Msg-Id": event_id},
    )


def worker(platform: Platform, kill_at: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "vigie_publisher", "worker"],
        env={**platform.worker_env, "PUBLISHER_FAULT_KILL_AT": kill_at},
        stdout=subprocess.DEVNULL,
        stderr=platform.logs.open("ab"),
    )


async def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        await asyncio.to_thread(process.wait, 30)


async def _connect(platform: Platform, owner: PdsUser, password: str, pds: str) -> str:
    """The brand's Bluesky account, once the publisher's worker knows the brand."""
    account = social_account(pds, owner.handle, password)
    request = publisher_rpc.CreateSocialAccountRequest(parent=LUMIERE, social_account=account)
    made = await _once_known(
        lambda: platform.publisher.CreateSocialAccount(request, metadata=platform.admin)
    )
    return str(made.name)


async def _scheduled_post(platform: Platform, account: str, at: datetime) -> str:
    post = publisher.Post(
        social_accounts=[account],
        variants=[publisher.PostVariant(network=publisher.NETWORK_BLUESKY, text=LATER_POST)],
    )
    made = await platform.publisher.CreatePost(
        publisher_rpc.CreatePostRequest(parent=LUMIERE, post=post), metadata=platform.admin
    )
    await platform.publisher.SubmitPost(
        publisher_rpc.SubmitPostRequest(name=made.name), metadata=platform.admin
    )
    when = Timestamp()
    when.FromDatetime(at)
    scheduled = await platform.publisher.SchedulePost(
        publisher_rpc.SchedulePostRequest(name=made.name, schedule_time=when),
        metadata=platform.admin,
    )
    assert scheduled.status == publisher.POST_STATUS_SCHEDULED
    return str(made.name)


async def _playbook(platform: Platform) -> str:
    webhook = await platform.reputation.CreateWebhook(
        rpc.CreateWebhookRequest(
            parent=f"tenants/{TENANT}",
            webhook=pb.Webhook(
                display_name="on-call", url=platform.receiver.url,
                secret="an-e2e-shared-secret-of-32-chars",
            ),
        ),
        metadata=platform.admin,
    )  # fmt: skip
    playbook = cr.Playbook(
        display_name="Lumière: bad buzz",
        alert_steps=[
            cr.AlertStep(member=CHLOE),
            cr.AlertStep(webhook=webhook.name),
            cr.AlertStep(member=CEO, delay_seconds=1),
        ],
        holding_statements=[
            cr.HoldingStatement(language="fr", text=FRENCH),
            cr.HoldingStatement(language="en", text=ENGLISH),
        ],
        queue_hold=cr.QUEUE_HOLD_HOLD,
    )
    made = await platform.room.CreatePlaybook(
        cr.CreatePlaybookRequest(parent=LUMIERE, playbook=playbook), metadata=platform.admin
    )
    return str(made.name)


async def _push(platform: Platform, mentions: list[listener_rpc.IngestMentionsRequest]) -> None:
    async def stream() -> AsyncIterator[listener_rpc.IngestMentionsRequest]:
        for one in mentions:
            yield one

    partner = platform.listener.partner({"mentions.ingest"}, {LUMIERE})
    answer = await platform.listener.stub.IngestMentions(stream(), metadata=partner)
    assert answer.accepted_count == len(mentions), answer.refusals


async def _burst(platform: Platform) -> None:
    """Four hours of steady mentions (1 negative, 2 positive a bucket), then a negative burst."""
    bucket = now_bucket()
    angry = "la pire marque, honteux, dégoûtant, je les déteste"
    burst = [
        mention(platform.source, f"b{i}", angry, bucket + timedelta(seconds=5), f"@angry{i % 3}")
        for i in range(BURST)
    ]
    await _push(platform, list(history(platform.source, bucket)))
    await _push(platform, burst)


async def _room(platform: Platform, name: str) -> cr.CrisisRoom:
    room: cr.CrisisRoom = await platform.room.GetCrisisRoom(
        cr.GetCrisisRoomRequest(name=name), metadata=platform.admin
    )
    return room


async def _timeline(platform: Platform, crisis: str) -> list[cr.TimelineEntry]:
    entries: list[cr.TimelineEntry] = []
    token = ""
    while True:
        page = await platform.room.ListCrisisTimeline(
            cr.ListCrisisTimelineRequest(parent=crisis, page_size=50, page_token=token),
            metadata=platform.admin,
        )
        entries.extend(page.entries)
        token = page.next_page_token
        if not token:
            return entries


async def _refused(call: Any, code: grpc.StatusCode, reason: str) -> None:
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await call
    assert refused.value.code() == code
    info = error_info(refused.value)
    assert info is not None and info.reason == reason


async def _exported(platform: Platform, room: str, kind: Any) -> bytes:
    report = await platform.room.ExportCrisisRoom(
        cr.ExportCrisisRoomRequest(name=room, format=kind, request_id=new_id()),
        metadata=platform.admin,
    )

    async def ready() -> bool:
        got = await platform.reports.GetReport(
            reports_pb2.GetReportRequest(name=report.name), metadata=platform.admin
        )
        assert got.state != reports_pb2.REPORT_STATE_FAILED, got.failure_reason
        return bool(got.state == reports_pb2.REPORT_STATE_READY)

    await eventually(ready, 90)
    chunks = platform.reports.DownloadReport(
        reports_pb2.DownloadReportRequest(name=report.name), metadata=platform.admin
    )
    return b"".join([c.data async for c in chunks])


async def _open_crisis(platform: Platform) -> reputation_events.CrisisOpened:
    async def opened() -> bool:
        return len(platform.of_type(OPENED)) == 1

    await _burst(platform)
    await eventually(opened, 120)
    return reputation_events.CrisisOpened.FromString(platform.of_type(OPENED)[0].data)


async def _alerted_in_order(platform: Platform, room_name: str) -> cr.CrisisRoom:
    """All three steps sent in order (the member, the webhook, a second later the other
    member); the webhook receiver told of its step once."""

    async def all_sent() -> bool:
        room = await _room(platform, room_name)
        return [n.state for n in room.notifications] == [cr.NOTIFICATION_STATE_SENT] * 3

    await eventually(all_sent, 60)

    async def webhook_told() -> bool:
        types = {json.loads(body)["type"] for _, body in platform.receiver.requests}
        return {OPENED, NOTIFIED} <= types

    # The receiver hears of the opening (as every webhook of the tenant) and of its own step;
    # the two are separate deliveries, so their arrival order is not the steps' order.
    await eventually(webhook_told, 60)
    room = await _room(platform, room_name)
    assert [n.step for n in room.notifications] == [1, 2, 3]
    assert [(n.member, bool(n.webhook)) for n in room.notifications] == [
        (CHLOE, False), ("", True), (CEO, False)
    ]  # fmt: skip
    sent = [n.send_time.ToDatetime() for n in room.notifications]
    assert sent == sorted(sent) and sent[2] - sent[0] >= timedelta(seconds=1)
    told = [
        json.loads(b) for _, b in platform.receiver.requests if json.loads(b)["type"] == NOTIFIED
    ]
    assert [t["data"]["notification"]["step"] for t in told] == [2]
    return room


async def _held(platform: Platform, room_name: str, post: str) -> cr.CrisisRoom:
    async def listed() -> bool:
        return list((await _room(platform, room_name)).held_posts) == [post]

    await eventually(listed, 60)
    return await _room(platform, room_name)


async def _resolve(platform: Platform) -> None:
    """Through the crisis module's own path: 36 calm buckets (3 hours) would take long here."""
    async with platform.reputation_plumbing.uow() as work:
        watch = await work.session.get(CrisisWatchRow, (TENANT, "lumiere"))
        assert watch is not None
        await crises.withdraw(work, watch)
        await work.commit()


def _kinds_in_order(entries: list[cr.TimelineEntry], post: str, statement: str) -> None:
    def first(kind: int, subject: str = "") -> int:
        return next(
            i
            for i, e in enumerate(entries)
            if e.kind == kind and (not subject or e.subject == subject)
        )

    detected = first(cr.TIMELINE_ENTRY_KIND_DETECTED)
    alerts = [
        i for i, e in enumerate(entries)
        if e.kind in (cr.TIMELINE_ENTRY_KIND_PERSON_NOTIFIED, cr.TIMELINE_ENTRY_KIND_WEBHOOK_NOTIFIED)
    ]  # fmt: skip
    held = first(cr.TIMELINE_ENTRY_KIND_QUEUE_HELD, post)
    approved = first(cr.TIMELINE_ENTRY_KIND_STATEMENT_APPROVED, statement)
    published = first(cr.TIMELINE_ENTRY_KIND_STATEMENT_PUBLISHED)
    assert detected == 0 and len(alerts) == 3
    assert detected < min(alerts) and max(alerts) < approved
    assert detected < held < approved < published
    assert entries[-1].kind == cr.TIMELINE_ENTRY_KIND_RESOLVED
    kinds = [e.kind for e in entries]
    assert kinds.count(cr.TIMELINE_ENTRY_KIND_STATEMENT_PUBLISHED) == 1


def _keep(room: cr.CrisisRoom, entries: list[cr.TimelineEntry]) -> None:
    shown = {
        "room": json_format.MessageToDict(room),
        "timeline": [json_format.MessageToDict(e) for e in entries],
    }
    text = json.dumps(shown, indent=2, ensure_ascii=False)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "crisis_room_example.json").write_text(text + "\n", encoding="utf-8")
    for e in entries:
        kind = cr.TimelineEntryKind.Name(e.kind).removeprefix("TIMELINE_ENTRY_KIND_")
        print(f"{e.time.ToJsonString()}  {kind:<20} {e.summary}  [{e.subject}]")


async def test_a_crisis_is_answered_once_on_the_pds_and_its_room_tells_the_whole_response(
    platform: Platform, bluesky_pds: BlueskyPds
) -> None:
    _, handle, password = bluesky_pds.create_account("lumiere")
    owner = await PdsUser.login(bluesky_pds.url, handle, password)
    await _playbook(platform)
    first = worker(platform, kill_at=CONFIRMED)
    try:
        account = await _connect(platform, owner, password, bluesky_pds.url)
        # Late enough for the hold to come first (2 s after scheduling here), soon enough that
        # waiting for it to pass (below) costs a minute, not four.
        due = datetime.now(UTC) + HELD_POST_DELAY
        post = await _scheduled_post(platform, account, due)
        opened = await _open_crisis(platform)
        assert opened.queue_hold == cr.QUEUE_HOLD_HOLD
        crisis = opened.crisis.name
        room_name = f"{crisis}/room"
        room = await _alerted_in_order(platform, room_name)
        assert {s.language: (s.state, s.text) for s in room.statements} == {
            "fr": (cr.STATEMENT_STATE_PROPOSED, FRENCH),
            "en": (cr.STATEMENT_STATE_PROPOSED, ENGLISH),
        }
        room = await _held(platform, room_name, post)
        assert datetime.now(UTC) < due, f"held only after its time ({due}): raise HELD_POST_DELAY"
        (french,) = [s for s in room.statements if s.language == "fr"]
        approve = cr.ApproveStatementRequest(name=french.name)
        await _refused(
            platform.room.ApproveStatement(approve, metadata=platform.member(Role.ANALYST)),
            grpc.StatusCode.PERMISSION_DENIED,
            "ROLE_REQUIRED",
        )
        await _refused(
            platform.room.ApproveStatement(approve, metadata=platform.keys.admin("t_other")),
            grpc.StatusCode.NOT_FOUND,
            "STATEMENT_NOT_FOUND",
        )
        manager = platform.member(Role.SOCIAL_MEDIA_MANAGER, subject=CHLOE)
        approved = await platform.room.ApproveStatement(approve, metadata=manager)
        assert approved.state == cr.STATEMENT_STATE_APPROVED and approved.approver == CHLOE
        # Killed after the PDS confirmed the statement, before the database recorded it.
        code = await asyncio.to_thread(first.wait, 120)
        assert code == -signal.SIGKILL, "the worker was to kill itself after the confirmation"
    finally:
        await _stop(first)
    second = worker(platform, kill_at="")
    try:

        async def published() -> bool:
            states = {s.language: s.state for s in (await _room(platform, room_name)).statements}
            return states["fr"] == cr.STATEMENT_STATE_PUBLISHED

        await eventually(published, 120)
        # The held post's time comes while the worker runs: it stays held.
        await asyncio.sleep(max(0.0, (due - datetime.now(UTC)).total_seconds()) + 3)
        held_post = await platform.publisher.GetPost(
            publisher_rpc.GetPostRequest(name=post), metadata=platform.admin
        )
    finally:
        await _stop(second)
    on_pds = _posts(bluesky_pds, owner.did)
    assert [p["text"] for p in on_pds] == [FRENCH], on_pds  # once, and not the held post
    assert on_pds[0]["langs"] == ["fr"]
    assert held_post.status in (publisher.POST_STATUS_SCHEDULED, publisher.POST_STATUS_HELD)
    room = await _room(platform, room_name)
    (french,) = [s for s in room.statements if s.language == "fr"]
    assert len(french.posts) == 1 and french.publish_time.seconds > 0

    export = cr.ExportCrisisRoomRequest(name=room_name, format=reports_pb2.REPORT_FORMAT_CSV)
    await _refused(
        platform.room.ExportCrisisRoom(export, metadata=platform.admin),
        grpc.StatusCode.FAILED_PRECONDITION,
        "CRISIS_NOT_RESOLVED",
    )
    await _resolve(platform)

    async def resolved() -> bool:
        room = await _room(platform, room_name)
        return room.crisis.status == pb.CRISIS_STATUS_RESOLVED

    await eventually(resolved, 60)
    csv = (await _exported(platform, room_name, reports_pb2.REPORT_FORMAT_CSV)).decode("utf-8-sig")
    assert "holding statement published (fr)" in csv and post in csv
    pdf = await _exported(platform, room_name, reports_pb2.REPORT_FORMAT_PDF)
    assert pdf.startswith(b"%PDF")
    entries = await _timeline(platform, crisis)
    _kinds_in_order(entries, post, french.name)
    _keep(await _room(platform, room_name), entries)
