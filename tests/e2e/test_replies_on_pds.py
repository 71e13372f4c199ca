"""A reply published from Vigie on the real local Bluesky PDS, exactly once though the publisher
is killed mid-way: a customer asks the brand a question in French under one of the brand's posts;
the question reaches the publisher as an opened inbox item (the listener's `inbox.item_opened`,
on NATS); a saved reply is rendered in the question's language and answered from the brand's
account; the publisher's worker is SIGKILLed after the PDS confirmed the reply and before its
database knew, then restarted: the PDS holds one reply, to the question (parent) in the thread of
the brand's post (root). Another group cannot reply to the mention. The second test goes the
whole way: the listener captures the question from the PDS's firehose and opens the inbox item,
which is assigned, answered (worker killed mid-way) and marked ANSWERED from `reply.published`.
(SQLite or PostgreSQL.)"""

import asyncio
import os
import secrets
import signal
import subprocess
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import grpc
import httpx
import nats
import pytest
from vigie.directory.v1 import directory_pb2 as directory_rpc
from vigie.directory.v1 import directory_pb2_grpc
from vigie.directory.v1 import resources_pb2 as directory
from vigie.listener.v1 import events_pb2 as listener_events
from vigie.listener.v1 import inbox_pb2 as inbox_rpc
from vigie.listener.v1 import inbox_pb2_grpc, listener_pb2_grpc
from vigie.listener.v1 import listener_pb2 as listener_rpc
from vigie.listener.v1 import resources_pb2 as listener
from vigie.publisher.v1 import publisher_pb2 as publisher_rpc
from vigie.publisher.v1 import publisher_pb2_grpc
from vigie.publisher.v1 import replies_pb2 as rp
from vigie.publisher.v1 import resources_pb2 as publisher
from vigie_directory.bootstrap import build as build_directory
from vigie_directory.testing import ADMIN_PASSWORD, bootstrap_tenant, directory_settings
from vigie_gateway.app import create_app
from vigie_gateway.config import Settings as GatewaySettings
from vigie_gateway.testing import Front, graphql_front
from vigie_listener.bootstrap import build as build_listener
from vigie_listener.config import Settings as ListenerSettings
from vigie_publisher.adapters.faults import CONFIRMED
from vigie_publisher.bootstrap import build as build_publisher
from vigie_publisher.config import Settings as PublisherSettings
from vigie_publisher.entrypoints.nats.inbox import ITEM_OPENED
from vigie_publisher.pds_testing import PdsUser, StrongRef
from vigie_runtime.events import cloudevent_headers
from vigie_runtime.grpc_client import bearer, open_channel
from vigie_runtime.grpc_errors import error_info
from vigie_runtime.ids import new_id
from vigie_runtime.nats_connection import ensure_stream
from vigie_runtime.testing.bluesky_pds import BlueskyPds
from vigie_runtime.testing.databases import temporary_database
from vigie_runtime.testing.services import serving
from vigie_runtime.testing.waiting import eventually

pytestmark = [pytest.mark.e2e, pytest.mark.node, pytest.mark.timeout(1200)]
T = TypeVar("T")
POST = "app.bsky.feed.post"


@dataclass
class Platform:
    front: Front  # Acme Group's admin
    outsider: Front  # Rival Group's admin
    tenant: str
    publisher: publisher_pb2_grpc.PublisherServiceStub
    worker_env: dict[str, str]
    nats_url: str
    logs: Path
    listener: listener_pb2_grpc.ListenerServiceStub
    inbox: inbox_pb2_grpc.InboxServiceStub
    directory: directory_pb2_grpc.DirectoryServiceStub


@pytest.fixture
async def platform(tmp_path: Path, database_url: str, nats_url: str) -> AsyncIterator[Platform]:
    """The directory and the publisher's API in this process, behind the gateway; the
    publisher's worker (consumers and dispatcher) is a process of its own, started by the test."""
    directory = directory_settings(tmp_path, database_url, nats_url)
    async with (
        temporary_database(tmp_path, "publisher") as publisher_url,
        temporary_database(tmp_path, "listener") as listener_url,
        serving(build_directory(directory), mode="all") as directory_host,
    ):
        listening = ListenerSettings(
            database_url=listener_url, grpc_address="127.0.0.1:0", platform=directory.platform
        )
        publishing = PublisherSettings(
            database_url=publisher_url, grpc_address="127.0.0.1:0", platform=directory.platform
        )
        worker_env = {
            **os.environ,
            "PUBLISHER_DATABASE_URL": publisher_url,
            "VIGIE_NATS_URL": nats_url,
            "VIGIE_JWKS_FILE": str(directory.platform.jwks_file),
            "VIGIE_ENVIRONMENT": "test",
            "PUBLISHER_DISPATCH_POLL_S": "0.2",
            "PUBLISHER_DISPATCH_CALL_DEADLINE_S": "5",
            "PUBLISHER_DISPATCH_LEASE_S": "12",
        }
        async with (
            serving(build_listener(listening), mode="all") as listener_host,
            serving(build_publisher(publishing), mode="api") as publisher_host,
            open_channel(f"127.0.0.1:{publisher_host.grpc_port}") as publisher_channel,
            open_channel(f"127.0.0.1:{listener_host.grpc_port}") as listener_channel,
            open_channel(f"127.0.0.1:{directory_host.grpc_port}") as directory_channel,
        ):
            tenant = await bootstrap_tenant(directory, "Acme Group", "admin@acme.test")
            await bootstrap_tenant(directory, "Rival Group", "admin@rival.test")
            gateway = GatewaySettings(
                directory_target=f"127.0.0.1:{directory_host.grpc_port}",
                publisher_target=f"127.0.0.1:{publisher_host.grpc_port}",
                platform=directory.platform,
            )
            async with graphql_front(create_app(gateway)) as front:
                await front.log_in("admin@acme.test", ADMIN_PASSWORD)
                outsider = Front(front.http, front.url)
                await outsider.log_in("admin@rival.test", ADMIN_PASSWORD)
                yield Platform(
                    front, outsider, tenant,
                    publisher_pb2_grpc.PublisherServiceStub(publisher_channel),
                    worker_env, nats_url, tmp_path / "worker.log",
                    listener_pb2_grpc.ListenerServiceStub(listener_channel),
                    inbox_pb2_grpc.InboxServiceStub(listener_channel),
                    directory_pb2_grpc.DirectoryServiceStub(directory_channel),
                )  # fmt: skip


def worker(platform: Platform, kill_at: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "vigie_publisher", "worker"],
        env={**platform.worker_env, "PUBLISHER_FAULT_KILL_AT": kill_at},
        stdout=subprocess.DEVNULL,
        stderr=platform.logs.open("ab"),
    )


SUBSIDIARY = """mutation { createSubsidiary(input: {displayName: "France", country: "FR",
  locale: "fr-FR", timeZone: "Europe/Paris"}) { subsidiary { id } errors { code } } }"""
BRAND = """mutation($s: ID!) { createBrand(input: {subsidiaryId: $s, displayName: "Lumière",
  kind: OWN, competitorIds: []}) { brand { id } errors { code } } }"""


async def _brand(front: Front) -> tuple[str, str]:
    subsidiary = (await front.ask(SUBSIDIARY))["data"]["createSubsidiary"]["subsidiary"]["id"]
    brand = (await front.ask(BRAND, s=subsidiary))["data"]["createBrand"]["brand"]["id"]
    return subsidiary, brand


async def _once_known(call: Callable[[], Awaitable[T]], seconds: float = 60) -> T:
    """The call's answer once it stops being NOT_FOUND (a brand, or a mention, reaches the
    publisher's worker through events)."""
    answers: list[T] = []

    async def answered() -> bool:
        try:
            answers.append(await call())
        except grpc.aio.AioRpcError as refused:
            if refused.code() != grpc.StatusCode.NOT_FOUND:
                raise
            return False
        return True

    await eventually(answered, seconds)
    return answers[-1]


async def _person(pds: BlueskyPds, prefix: str) -> tuple[PdsUser, str]:
    _, handle, password = pds.create_account(f"{prefix}{secrets.token_hex(4)}")
    return await PdsUser.login(pds.url, handle, password), password


async def _connect(platform: Platform, brand: str, owner: PdsUser, password: str, pds: str) -> str:
    credentials = publisher.SocialAccountCredentials(
        bluesky=publisher.BlueskyCredentials(
            service_url=pds, identifier=owner.handle, app_password=password
        )
    )
    account = publisher.SocialAccount(
        network=publisher.NETWORK_BLUESKY, handle="@" + owner.handle, time_zone="Europe/Paris",
        credentials=credentials,
    )  # fmt: skip
    request = publisher_rpc.CreateSocialAccountRequest(parent=brand, social_account=account)
    admin = bearer(platform.front.token)
    made = await _once_known(
        lambda: platform.publisher.CreateSocialAccount(request, metadata=admin)
    )
    return str(made.name)


async def _open_inbox_item(
    platform: Platform, brand: str, subsidiary: str, question: StrongRef, customer: PdsUser
) -> str:
    """What the listener emits when the question enters the inbox; the mention's name."""
    mention = listener.Mention(
        name=f"{brand}/mentions/{new_id()}",
        brand=brand,
        source_kind=listener.SOURCE_KIND_BLUESKY,
        external_id=question["uri"],
        url=f"https://bsky.app/profile/{customer.handle}/post/{question['uri'].rsplit('/', 1)[1]}",
        text="Bonjour, quand rouvre le magasin de Lyon ?",
        language="fr",
        author=listener.MentionAuthor(handle="@" + customer.handle, external_id=customer.did),
    )
    item = listener.InboxItem(
        name=f"{brand}/inboxItems/{new_id()}",
        mention=mention.name,
        brand=brand,
        subsidiary=subsidiary,
        reasons=[listener.INBOX_REASON_QUESTION],
    )
    opened = listener_events.InboxItemOpened(item=item, mention=mention, subsidiary=subsidiary)
    tenant = platform.tenant.split("/")[1]
    event_id = new_id()
    headers = cloudevent_headers(
        event_id, ITEM_OPENED.ce_type, "listener", tenant, datetime.now(UTC)
    )
    connection = await nats.connect(platform.nats_url)
    try:
        js = connection.jetstream()
        await ensure_stream(js, "listener")
        await js.publish(
            ITEM_OPENED.subject(tenant),
            opened.SerializeToString(),
            headers={**headers, "Nats-Msg-Id": event_id},
        )
    finally:
        await connection.close()
    return str(mention.name)


def _posts(pds: BlueskyPds, did: str) -> list[dict[str, Any]]:
    listed = httpx.get(
        f"{pds.url}/xrpc/com.atproto.repo.listRecords",
        params={"repo": did, "collection": POST, "limit": 100},
        timeout=10,
    )
    listed.raise_for_status()
    return [r["value"] for r in listed.json()["records"]]


SAVED = rp.SavedReply(
    display_name="Réouverture",
    variants=[
        rp.SavedReplyVariant(language="en", text="Hi {{first_name}}, {{store}} reopens {{day}}."),
        rp.SavedReplyVariant(
            language="fr", text="Bonjour {{first_name}}, {{store}} rouvre {{day}}."
        ),
    ],
    default_language="en",
)
VALUES = {"first_name": "Camille", "store": "notre magasin de Lyon", "day": "lundi"}


async def test_a_question_is_answered_once_on_the_pds_from_a_saved_reply_in_its_language(
    platform: Platform, bluesky_pds: BlueskyPds
) -> None:
    admin = bearer(platform.front.token)
    subsidiary, brand = await _brand(platform.front)
    owner, password = await _person(bluesky_pds, "lumiere")
    customer, _ = await _person(bluesky_pds, "camille")
    first = worker(platform, kill_at=CONFIRMED)
    try:
        await _connect(platform, brand, owner, password, bluesky_pds.url)
        launch = await owner.post("La nouvelle collection arrive en boutique !")
        question = await customer.create(
            POST,
            {
                "text": f"@{owner.handle} quand rouvre le magasin de Lyon ?",
                "langs": ["fr"],
                "reply": {"root": launch, "parent": launch},
            },
        )
        mention = await _open_inbox_item(platform, brand, subsidiary, question, customer)
        saved = await platform.publisher.CreateSavedReply(
            rp.CreateSavedReplyRequest(parent=brand, saved_reply=SAVED), metadata=admin
        )
        request = rp.CreateReplyRequest(
            parent=brand, in_reply_to=mention, saved_reply=saved.name, variables=VALUES,
            request_id=new_id(),
        )  # fmt: skip
        reply = await _once_known(lambda: platform.publisher.CreateReply(request, metadata=admin))
        again = await platform.publisher.CreateReply(request, metadata=admin)
        assert again.name == reply.name and reply.state == rp.REPLY_STATE_QUEUED
        assert reply.text == "Bonjour Camille, notre magasin de Lyon rouvre lundi."
        assert reply.language == "fr"
        # Killed after the PDS confirmed the reply, before the database recorded it.
        code = await asyncio.to_thread(first.wait, 120)
        assert code == -signal.SIGKILL, "the worker was to kill itself after the confirmation"
    finally:
        if first.poll() is None:
            first.send_signal(signal.SIGTERM)
            await asyncio.to_thread(first.wait, 30)
    second = worker(platform, kill_at="")
    try:

        async def published() -> bool:
            found = await platform.publisher.GetReply(
                rp.GetReplyRequest(name=reply.name), metadata=admin
            )
            return found.state == rp.REPLY_STATE_PUBLISHED

        await eventually(published, seconds=120)
    finally:
        second.send_signal(signal.SIGTERM)
        await asyncio.to_thread(second.wait, 30)
    done = await platform.publisher.GetReply(rp.GetReplyRequest(name=reply.name), metadata=admin)
    replies = [p for p in _posts(bluesky_pds, owner.did) if "reply" in p]
    assert len(replies) == 1, replies
    (on_pds,) = replies
    assert on_pds["text"] == "Bonjour Camille, notre magasin de Lyon rouvre lundi."
    assert on_pds["langs"] == ["fr"]
    assert on_pds["reply"]["parent"] == question
    assert on_pds["reply"]["root"] == launch  # the question's own root: one thread
    assert done.external_id.startswith(f"at://{owner.did}/{POST}/")

    outsider = bearer(platform.outsider.token)
    stolen = rp.CreateReplyRequest(parent=brand, in_reply_to=mention, text="Bonjour")
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await platform.publisher.CreateReply(stolen, metadata=outsider)
    assert refused.value.code() == grpc.StatusCode.NOT_FOUND
    unknown = rp.CreateReplyRequest(parent=brand, in_reply_to=f"{brand}/mentions/nope", text="Hi")
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await platform.publisher.CreateReply(unknown, metadata=admin)
    info = error_info(refused.value)
    assert info is not None and info.reason == "MENTION_NOT_FOUND"


async def _listen(
    platform: Platform, brand: str, marker: str, pds: BlueskyPds, poster: PdsUser
) -> None:
    """A listening query of the brand and a Bluesky source on the PDS's firehose, live once a
    warm-up post has been read (a new source reads from now on)."""
    admin = bearer(platform.front.token)
    query = listener.ListeningQuery(display_name="Lumière", query=marker, active=True)
    request = listener_rpc.CreateListeningQueryRequest(parent=brand, listening_query=query)
    await _once_known(lambda: platform.listener.CreateListeningQuery(request, metadata=admin))
    source = listener.Source(
        display_name="Local PDS",
        bluesky=listener.BlueskySourceConfig(relay_url=pds.firehose_url),
        enabled=True,
    )
    made = await platform.listener.CreateSource(
        listener_rpc.CreateSourceRequest(parent=platform.tenant, source=source), metadata=admin
    )

    async def live() -> bool:
        await poster.post("warming up the coffee machine")
        await asyncio.sleep(0.5)  # lets the post travel before asking; not an assertion
        read = await platform.listener.GetSource(
            listener_rpc.GetSourceRequest(name=made.name), metadata=admin
        )
        return bool(read.health.HasField("check_time"))

    await eventually(live, seconds=90)


async def _inbox_item(platform: Platform, brand: str) -> listener.InboxItem:
    admin = bearer(platform.front.token)
    found: list[listener.InboxItem] = []

    async def opened() -> bool:
        page = await platform.inbox.ListInboxItems(
            inbox_rpc.ListInboxItemsRequest(parent=brand), metadata=admin
        )
        found.extend(page.inbox_items)
        return bool(found)

    await eventually(opened, seconds=120)
    return found[0]


async def _assigned(
    platform: Platform, item: listener.InboxItem, subsidiary: str
) -> listener.InboxItem:
    """The item given to a new community manager of its subsidiary, once the listener knows of
    the member (from the directory's events)."""
    admin = bearer(platform.front.token)
    grant = directory.RoleGrant(role=directory.ROLE_COMMUNITY_MANAGER, subsidiary=subsidiary)
    member = await platform.directory.CreateMember(
        directory_rpc.CreateMemberRequest(
            parent=platform.tenant, password="password-long-1",
            member=directory.Member(email="camille.cm@acme.test", display_name="Sam",
                                    roles=[grant]),
        ),
        metadata=admin,
    )  # fmt: skip
    request = inbox_rpc.AssignInboxItemRequest(name=item.name, assignee=member.name)
    found: list[listener.InboxItem] = []

    async def assigned() -> bool:
        try:
            found.append(await platform.inbox.AssignInboxItem(request, metadata=admin))
        except grpc.aio.AioRpcError as refused:
            if refused.code() != grpc.StatusCode.FAILED_PRECONDITION:
                raise
            return False
        return True

    await eventually(assigned, seconds=60)
    return found[-1]


async def test_a_question_captured_from_the_pds_is_assigned_answered_once_and_marked_answered(
    platform: Platform, bluesky_pds: BlueskyPds
) -> None:
    """The whole way: the listener captures the question from the PDS's firehose and opens it in
    the inbox; it is assigned; the publisher (killed mid-way) answers it from a saved reply in its
    language; the listener marks the item answered from `reply.published`."""
    admin = bearer(platform.front.token)
    subsidiary, brand = await _brand(platform.front)
    marker = f"lumi{secrets.token_hex(3)}"
    owner, password = await _person(bluesky_pds, "lumiere")
    customer, _ = await _person(bluesky_pds, "camille")
    first = worker(platform, kill_at=CONFIRMED)
    try:
        await _connect(platform, brand, owner, password, bluesky_pds.url)
        await _listen(platform, brand, marker, bluesky_pds, customer)
        launch = await owner.post("La nouvelle collection arrive en boutique !")
        question = await customer.create(
            POST,
            {
                "text": f"Bonjour {marker}, quand rouvre le magasin de Lyon ?",
                "langs": ["fr"],
                "reply": {"root": launch, "parent": launch},
            },
        )
        item = await _inbox_item(platform, brand)
        assigned = await _assigned(platform, item, subsidiary)
        assert assigned.status == listener.INBOX_STATUS_ASSIGNED
        saved = await platform.publisher.CreateSavedReply(
            rp.CreateSavedReplyRequest(parent=brand, saved_reply=SAVED), metadata=admin
        )
        request = rp.CreateReplyRequest(
            parent=brand, in_reply_to=item.mention, saved_reply=saved.name, variables=VALUES,
            request_id=new_id(),
        )  # fmt: skip
        reply = await _once_known(lambda: platform.publisher.CreateReply(request, metadata=admin))
        assert reply.language == "fr" and reply.inbox_item == item.name
        code = await asyncio.to_thread(first.wait, 120)
        assert code == -signal.SIGKILL, "the worker was to kill itself after the confirmation"
    finally:
        if first.poll() is None:
            first.send_signal(signal.SIGTERM)
            await asyncio.to_thread(first.wait, 30)
    second = worker(platform, kill_at="")
    try:

        async def answered() -> bool:
            found = await platform.inbox.GetInboxItem(
                inbox_rpc.GetInboxItemRequest(name=item.name), metadata=admin
            )
            return found.status == listener.INBOX_STATUS_ANSWERED

        await eventually(answered, seconds=120)
    finally:
        second.send_signal(signal.SIGTERM)
        await asyncio.to_thread(second.wait, 30)
    replies = [p for p in _posts(bluesky_pds, owner.did) if "reply" in p]
    assert len(replies) == 1, replies
    assert replies[0]["text"] == "Bonjour Camille, notre magasin de Lyon rouvre lundi."
    assert replies[0]["reply"]["parent"] == question
    assert replies[0]["reply"]["root"] == launch
