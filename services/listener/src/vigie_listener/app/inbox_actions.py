"""What the team does with an item: assign it, write notes, label it, close or reopen it.
Community managers and up act; analysts only read. Every change emits `inbox.item_changed`."""

import unicodedata

from sqlalchemy import select
from vigie.listener.v1 import inbox_pb2 as rpc
from vigie.listener.v1 import resources_pb2 as pb
from vigie_runtime.errors import FailedPrecondition, InvalidArgument
from vigie_runtime.idempotency import created_before, remember
from vigie_runtime.ids import new_id
from vigie_runtime.principal import Principal
from vigie_runtime.tenant_rows import Listed, list_page
from vigie_runtime.uow import UnitOfWork

from vigie_listener.adapters.orm import InboxItemRow, InboxNoteRow
from vigie_listener.app.common import now
from vigie_listener.app.inbox_common import ACTING_ROLES, check_late, store_labels, touch
from vigie_listener.app.inbox_items import readable_item, subsidiary_name
from vigie_listener.app.members import works_in
from vigie_listener.app.names import INBOX_NOTE, MEMBER
from vigie_listener.domain.inbox_status import Status, after_assignment, after_request

MAX_NOTE_LENGTH = 5000
MAX_LABELS = 20
MAX_LABEL_LENGTH = 64


async def actable_item(
    uow: UnitOfWork, who: Principal, name: str, field: str = "name"
) -> InboxItemRow:
    row = await readable_item(uow, who, name, field)
    who.require(ACTING_ROLES, subsidiary_name(row))
    return row


async def assign(
    uow: UnitOfWork, who: Principal, request: rpc.AssignInboxItemRequest
) -> InboxItemRow:
    row = await actable_item(uow, who, request.name)
    member_id = ""
    if request.assignee:
        _, member_id = MEMBER.parse_in_tenant(request.assignee, who.tenant, "assignee")
        if not await works_in(uow, row.tenant, member_id, row.subsidiary_id):
            raise FailedPrecondition(
                "ASSIGNEE_NOT_IN_SUBSIDIARY",
                f"{request.assignee} holds no role in {subsidiary_name(row)} nor group-wide",
                field="assignee",
            )
    status = after_assignment(Status(row.status), member_id)
    if status is None:
        raise FailedPrecondition("INBOX_ITEM_CLOSED", "reopen the item before assigning it")
    if row.assignee_id == member_id and row.status == status:
        return row  # already so: a retry changes nothing
    row.assignee_id, row.status = member_id, int(status)
    touch(uow, row, now())
    return row


async def set_labels(
    uow: UnitOfWork, who: Principal, request: rpc.SetInboxItemLabelsRequest
) -> InboxItemRow:
    row = await actable_item(uow, who, request.name)
    labels = _clean_labels(list(request.labels))
    if labels == row.labels:
        return row
    await store_labels(uow, row, labels)
    touch(uow, row, now())
    return row


def _clean_labels(given: list[str]) -> list[str]:
    labels: list[str] = []
    for raw in given:
        label = raw.strip()
        if not label or len(label) > MAX_LABEL_LENGTH or not _printable(label):
            raise InvalidArgument(
                "labels", f"each label is 1 to {MAX_LABEL_LENGTH} printable characters"
            )
        if label not in labels:
            labels.append(label)
    if len(labels) > MAX_LABELS:
        raise InvalidArgument("labels", f"at most {MAX_LABELS} labels")
    return sorted(labels)


def _printable(text: str) -> bool:
    return not any(unicodedata.category(c) in ("Cc", "Cs", "Co", "Cn") for c in text)


async def set_status(
    uow: UnitOfWork, who: Principal, request: rpc.SetInboxItemStatusRequest
) -> InboxItemRow:
    wanted = int(request.status)
    if wanted not in (Status.CLOSED, Status.NEW):
        raise InvalidArgument("status", "CLOSED closes an item, NEW reopens it")
    row = await actable_item(uow, who, request.name)
    status = after_request(Status(row.status), Status(wanted), row.assignee_id)
    if status is None:
        if row.status == wanted or (wanted == Status.NEW and row.status != Status.CLOSED):
            return row  # already closed, or already open: a retry changes nothing
        raise FailedPrecondition("INBOX_STATUS_CHANGE", "this status cannot be set from here")
    moment = now()
    if status is Status.CLOSED:
        row.closed_at = moment
        await check_late(uow, row, pb.RESPONSE_KIND_RESOLUTION, moment)
    else:
        row.closed_at = None
    row.status = int(status)
    touch(uow, row, moment)
    return row


async def add_note(
    uow: UnitOfWork, who: Principal, request: rpc.AddInboxNoteRequest
) -> tuple[InboxNoteRow, str]:
    row = await actable_item(uow, who, request.parent, "parent")
    text = request.text.strip()
    if not text or len(text) > MAX_NOTE_LENGTH or "\x00" in text:
        raise InvalidArgument("text", f"a note is 1 to {MAX_NOTE_LENGTH} characters, no NUL")
    earlier = await created_before(uow, who.tenant, request.request_id, "AddInboxNote")
    if earlier is not None:
        note_id = earlier.rsplit("/", 1)[1]
        found = await uow.session.get(InboxNoteRow, note_id)
        if found is not None and found.tenant == who.tenant:
            return found, row.brand_id
    moment = now()
    note = InboxNoteRow(
        id=new_id(), tenant=row.tenant, item_id=row.id, text=text, author=who.subject[:512],
        created_at=moment,
    )  # fmt: skip
    uow.session.add(note)
    name = INBOX_NOTE.format(row.tenant, row.brand_id, row.id, note.id)
    await remember(uow, who.tenant, request.request_id, "AddInboxNote", name)
    row.note_count += 1
    touch(uow, row, moment)
    return note, row.brand_id


NOTE_ORDERS = {"create_time": InboxNoteRow.created_at}


async def list_notes(
    uow: UnitOfWork, who: Principal, request: rpc.ListInboxNotesRequest
) -> tuple[Listed[InboxNoteRow], str]:
    """An item's notes, oldest first unless asked otherwise, and the item's brand id."""
    row = await readable_item(uow, who, request.parent, "parent")
    query = select(InboxNoteRow).where(
        InboxNoteRow.tenant == row.tenant, InboxNoteRow.item_id == row.id
    )
    notes = await list_page(
        uow, query, InboxNoteRow, request, [request.parent], NOTE_ORDERS, "create_time asc"
    )
    return notes, row.brand_id
