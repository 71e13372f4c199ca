"""The engagement inbox end to end in the listener: mentions captured through the real
pipeline, the other services' events through NATS as their producers publish them, every
read and change through the InboxService."""

from collections.abc import AsyncIterator
from dataclasses import replace

import grpc
import pytest
from vigie.listener.v1 import inbox_pb2 as rpc
from vigie.listener.v1 import resources_pb2 as pb
from vigie.reputation.v1 import resources_pb2 as reputation
from vigie_listener.adapters.orm import RUNTIME_TABLES
from vigie_listener.config import Settings
from vigie_listener.domain.items import Author, SourceItem
from vigie_listener.testing import (
    FEED,
    FRANCE,
    LUMIERE,
    OTHER_TENANT,
    TENANT,
    Pipeline,
    post,
    query,
)
from vigie_listener.testing_inbox import (
    Inbox,
    inbox_running,
    send_crisis,
    send_member,
    send_scored,
)
from vigie_runtime.grpc_errors import error_info
from vigie_runtime.host import Plumbing
from vigie_runtime.principal import Role
from vigie_runtime.testing.tokens import TestKeys
from vigie_runtime.testing.waiting import eventually

GERMANY = f"tenants/{TENANT}/subsidiaries/germany"


@pytest.fixture
async def world(settings: Settings) -> AsyncIterator[tuple[Inbox, Pipeline]]:
    async with inbox_running(settings, TestKeys(settings.platform.jwks_file)) as inbox:
        await query(inbox.listener, LUMIERE, "lumiere")
        plumbing = Plumbing("listener", settings, RUNTIME_TABLES)
        try:
            yield inbox, Pipeline(plumbing, settings)
        finally:
            await plumbing.close()


def loud(external_id: str, text: str, followers: int, language: str = "fr") -> SourceItem:
    return replace(
        post(external_id, text, language=language),
        author=Author("@loud.test", "Loud", followers, "did:plc:loud"),
    )


async def capture(pipeline: Pipeline, *items: SourceItem) -> list[str]:
    """Captures the items from the tenant's feed; returns their mention names, in order."""
    result = await pipeline.run(FEED, list(items))
    by_id = {m.external_id: f"{LUMIERE}/mentions/{m.id}" for m in result.stored}
    return [by_id[item.external_id] for item in items]


def reason_of(error: grpc.aio.AioRpcError) -> str:
    info = error_info(error)
    return info.reason if info else ""


async def test_a_question_opens_an_item_and_a_plain_mention_does_not(
    world: tuple[Inbox, Pipeline],
) -> None:
    inbox, pipeline = world
    asked, plain, later = await capture(
        pipeline,
        post("g-1", "Lumiere ouvre dimanche ?", language="fr"),
        post("g-2", "lumiere, un café parfait", language="fr"),
        post("g-3", "Comment réserver chez lumiere", language="fr"),
    )
    item = await inbox.item_of(FRANCE, asked)
    assert list(item.reasons) == [pb.INBOX_REASON_QUESTION]
    assert item.status == pb.INBOX_STATUS_NEW
    assert item.subsidiary == FRANCE and item.brand == LUMIERE
    # 120 followers: 10 x log10(121) = 20.828; unscored; no crisis; waiting grows from 0.
    parts = {p.factor: p for p in item.urgency_parts}
    assert parts["REACH"].score == pytest.approx(20.828, abs=0.001)
    assert parts["SENTIMENT"].explanation == "not scored yet"
    assert item.urgency == pytest.approx(sum(p.score for p in item.urgency_parts), abs=0.01)
    # Captures are consumed in order: once the later question is in, the plain one was seen.
    await inbox.item_of(LUMIERE, later)
    assert plain not in [i.mention for i in await inbox.items(FRANCE)]


async def test_a_negative_score_from_a_high_reach_author_raises_urgency(
    world: tuple[Inbox, Pipeline],
) -> None:
    inbox, pipeline = world
    question, rant, quiet = await capture(
        pipeline,
        loud("g-10", "Lumiere livre à Lyon ?", 50_000),
        loud("g-11", "lumiere m'a servi un café froid", 50_000),
        loud("g-12", "lumiere bof", 500),
    )
    before = await inbox.item_of(FRANCE, question)
    await send_scored(inbox.nats_url, TENANT, question, reputation.SENTIMENT_LABEL_NEGATIVE)
    await send_scored(inbox.nats_url, TENANT, rant, reputation.SENTIMENT_LABEL_NEGATIVE)
    await send_scored(inbox.nats_url, TENANT, quiet, reputation.SENTIMENT_LABEL_NEGATIVE)
    opened = await inbox.item_of(FRANCE, rant)  # not a question: opened by its score
    assert list(opened.reasons) == [pb.INBOX_REASON_HIGH_REACH_NEGATIVE]
    after = await inbox.get(before.name)
    assert after.sentiment == "NEGATIVE"
    assert list(after.reasons) == [pb.INBOX_REASON_QUESTION, pb.INBOX_REASON_HIGH_REACH_NEGATIVE]
    # + 30 for the negative score (waiting grew a little between the two reads).
    assert after.urgency - before.urgency == pytest.approx(30.0, abs=1.0)
    assert quiet not in [i.mention for i in await inbox.items(FRANCE)]  # 500 followers


async def test_assignment_only_inside_the_subsidiary(world: tuple[Inbox, Pipeline]) -> None:
    inbox, pipeline = world
    (asked,) = await capture(pipeline, post("g-20", "Lumiere ouvre à quelle heure ?"))
    item = await inbox.item_of(FRANCE, asked)
    outsider = await send_member(inbox.nats_url, TENANT, "ingrid", [GERMANY])
    insider = await send_member(inbox.nats_url, TENANT, "francois", [FRANCE])
    everywhere = await send_member(inbox.nats_url, TENANT, "gaelle", [None])
    manager = inbox.as_role(Role.COMMUNITY_MANAGER)

    async def assigned(member: str) -> bool:
        request = rpc.AssignInboxItemRequest(name=item.name, assignee=member)
        try:
            await inbox.stub.AssignInboxItem(request, metadata=manager)
        except grpc.aio.AioRpcError as error:
            assert reason_of(error) == "ASSIGNEE_NOT_IN_SUBSIDIARY"
            return False
        return True

    await eventually(lambda: assigned(everywhere))  # members are applied in order: all three
    assert await assigned(insider)
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await inbox.stub.AssignInboxItem(
            rpc.AssignInboxItemRequest(name=item.name, assignee=outsider), metadata=manager
        )
    assert refused.value.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert reason_of(refused.value) == "ASSIGNEE_NOT_IN_SUBSIDIARY"
    with pytest.raises(grpc.aio.AioRpcError) as analyst:
        await inbox.stub.AssignInboxItem(
            rpc.AssignInboxItemRequest(name=item.name, assignee=insider),
            metadata=inbox.as_role(Role.ANALYST),
        )
    assert (analyst.value.code(), reason_of(analyst.value)) == (
        grpc.StatusCode.PERMISSION_DENIED,
        "ROLE_REQUIRED",
    )
    now = await inbox.get(item.name)
    assert (now.assignee, now.status) == (insider, pb.INBOX_STATUS_ASSIGNED)
    mine = await inbox.items(FRANCE, assignee=insider)
    assert [i.name for i in mine] == [item.name]


async def test_notes_labels_close_and_reopen(world: tuple[Inbox, Pipeline]) -> None:
    inbox, pipeline = world
    (asked,) = await capture(pipeline, post("g-30", "Pourquoi lumiere ferme tôt ?"))
    item = await inbox.item_of(FRANCE, asked)
    manager = inbox.as_role(Role.COMMUNITY_MANAGER)
    note = rpc.AddInboxNoteRequest(parent=item.name, text="Vérifier les horaires", request_id="n1")
    first = await inbox.stub.AddInboxNote(note, metadata=manager)
    again = await inbox.stub.AddInboxNote(note, metadata=manager)  # a retry: the same note
    assert first.name == again.name and first.name.startswith(f"{item.name}/notes/")
    notes = await inbox.stub.ListInboxNotes(
        rpc.ListInboxNotesRequest(parent=item.name), metadata=inbox.as_role(Role.ANALYST)
    )
    assert [n.text for n in notes.notes] == ["Vérifier les horaires"]
    labelled = await inbox.stub.SetInboxItemLabels(
        rpc.SetInboxItemLabelsRequest(name=item.name, labels=["horaires", " vip ", "vip"]),
        metadata=manager,
    )
    assert (list(labelled.labels), labelled.note_count) == (["horaires", "vip"], 1)
    assert [i.name for i in await inbox.items(FRANCE, label="vip")] == [item.name]
    assert await inbox.items(FRANCE, label="absent") == []
    close = rpc.SetInboxItemStatusRequest(name=item.name, status=pb.INBOX_STATUS_CLOSED)
    closed = await inbox.stub.SetInboxItemStatus(close, metadata=manager)
    assert closed.status == pb.INBOX_STATUS_CLOSED and closed.HasField("close_time")
    assert await inbox.items(FRANCE, statuses=[pb.INBOX_STATUS_NEW]) == []
    reopen = rpc.SetInboxItemStatusRequest(name=item.name, status=pb.INBOX_STATUS_NEW)
    reopened = await inbox.stub.SetInboxItemStatus(reopen, metadata=manager)
    assert reopened.status == pb.INBOX_STATUS_NEW and not reopened.HasField("close_time")
    with pytest.raises(grpc.aio.AioRpcError) as analyst:
        await inbox.stub.SetInboxItemStatus(close, metadata=inbox.as_role(Role.ANALYST))
    assert analyst.value.code() == grpc.StatusCode.PERMISSION_DENIED


async def test_a_redelivered_event_changes_nothing(world: tuple[Inbox, Pipeline]) -> None:
    inbox, pipeline = world
    asked, marker = await capture(
        pipeline, loud("g-40", "Lumiere, un avis ?", 20_000), loud("g-41", "lumiere ?", 20_000)
    )
    item = await inbox.item_of(FRANCE, asked)
    event_id = await send_scored(inbox.nats_url, TENANT, asked, reputation.SENTIMENT_LABEL_NEGATIVE)

    async def scored() -> bool:
        return (await inbox.get(item.name)).sentiment == "NEGATIVE"

    await eventually(scored)
    once = await inbox.get(item.name)
    await send_scored(inbox.nats_url, TENANT, asked, reputation.SENTIMENT_LABEL_NEGATIVE, event_id)
    # The same fact told again under a new id changes nothing either.
    await send_scored(inbox.nats_url, TENANT, asked, reputation.SENTIMENT_LABEL_NEGATIVE)
    await send_scored(inbox.nats_url, TENANT, marker, reputation.SENTIMENT_LABEL_POSITIVE)
    marker_item = await inbox.item_of(FRANCE, marker)

    async def marker_applied() -> bool:
        return (await inbox.get(marker_item.name)).sentiment == "POSITIVE"

    await eventually(marker_applied)  # events are applied in order: the others were too
    twice = await inbox.get(item.name)
    assert (twice.etag, list(twice.reasons)) == (once.etag, list(once.reasons))


async def test_another_tenants_item_is_not_found(world: tuple[Inbox, Pipeline]) -> None:
    inbox, pipeline = world
    (asked,) = await capture(pipeline, post("g-50", "Lumiere ouvre quand ?"))
    item = await inbox.item_of(FRANCE, asked)
    stranger = inbox.admin(OTHER_TENANT)
    calls = [
        inbox.stub.GetInboxItem(rpc.GetInboxItemRequest(name=item.name), metadata=stranger),
        inbox.stub.ListInboxItems(rpc.ListInboxItemsRequest(parent=FRANCE), metadata=stranger),
        inbox.stub.GetConversation(rpc.GetConversationRequest(name=item.name), metadata=stranger),
    ]
    for call in calls:
        with pytest.raises(grpc.aio.AioRpcError) as refused:
            await call
        assert refused.value.code() == grpc.StatusCode.NOT_FOUND
    # A role in another subsidiary does not see the item either.
    elsewhere = inbox.as_role(Role.SOCIAL_MEDIA_MANAGER, GERMANY)
    with pytest.raises(grpc.aio.AioRpcError) as hidden:
        await inbox.stub.GetInboxItem(rpc.GetInboxItemRequest(name=item.name), metadata=elsewhere)
    assert hidden.value.code() == grpc.StatusCode.NOT_FOUND
    targets = rpc.GetResponseTargetsRequest(name=f"{FRANCE}/responseTargets")
    with pytest.raises(grpc.aio.AioRpcError) as not_theirs:
        await inbox.stub.GetResponseTargets(targets, metadata=elsewhere)
    assert reason_of(not_theirs.value) == "ROLE_REQUIRED"
    assert (await inbox.stub.ListInboxItems(
        rpc.ListInboxItemsRequest(parent=LUMIERE), metadata=elsewhere
    )).inbox_items == []  # fmt: skip


async def test_a_crisis_raises_the_urgency_of_its_brands_items(
    world: tuple[Inbox, Pipeline],
) -> None:
    inbox, pipeline = world
    (asked,) = await capture(pipeline, post("g-60", "Lumiere, que se passe-t-il ?"))
    item = await inbox.item_of(FRANCE, asked)
    crisis = f"{LUMIERE}/crises/c1"
    await send_crisis(inbox.nats_url, TENANT, crisis, opened=True)

    async def in_crisis(expected: str) -> bool:
        return (await inbox.get(item.name)).crisis == expected

    await eventually(lambda: in_crisis(crisis))
    parts = {p.factor: p.score for p in (await inbox.get(item.name)).urgency_parts}
    assert parts["CRISIS"] == 40.0
    await send_crisis(inbox.nats_url, TENANT, crisis, opened=False)
    await eventually(lambda: in_crisis(""))


async def test_bad_input_gets_a_clear_reason(world: tuple[Inbox, Pipeline]) -> None:
    inbox, pipeline = world
    (asked,) = await capture(pipeline, post("g-70", "Lumiere, vous livrez ?"))
    item = await inbox.item_of(FRANCE, asked)
    admin = inbox.admin()
    cases = [
        (inbox.stub.AssignInboxItem(rpc.AssignInboxItemRequest(name=item.name, assignee="bob"),
                                    metadata=admin), "INVALID_ARGUMENT"),
        (inbox.stub.AddInboxNote(rpc.AddInboxNoteRequest(parent=item.name, text="  "),
                                 metadata=admin), "INVALID_ARGUMENT"),
        (inbox.stub.SetInboxItemStatus(rpc.SetInboxItemStatusRequest(
            name=item.name, status=pb.INBOX_STATUS_ANSWERED), metadata=admin), "INVALID_ARGUMENT"),
        (inbox.stub.SetInboxItemLabels(rpc.SetInboxItemLabelsRequest(
            name=item.name, labels=["x" * 65]), metadata=admin), "INVALID_ARGUMENT"),
        (inbox.stub.GetResponseTimes(rpc.GetResponseTimesRequest(parent=FRANCE),
                                     metadata=admin), "INVALID_ARGUMENT"),
        (inbox.stub.ListInboxItems(rpc.ListInboxItemsRequest(parent=FRANCE, page_token="zz"),
                                   metadata=admin), "INVALID_ARGUMENT"),
        (inbox.stub.GetInboxItem(rpc.GetInboxItemRequest(name=f"{LUMIERE}/inboxItems/nope"),
                                 metadata=admin), "INBOX_ITEM_NOT_FOUND"),
    ]  # fmt: skip
    for call, reason in cases:
        with pytest.raises(grpc.aio.AioRpcError) as refused:
            await call
        assert reason_of(refused.value) == reason, refused.value.details()
