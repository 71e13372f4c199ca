"""A brand's queue: its accounts' posting slots, and the hold that stops everything of the
brand from going out (a crisis, or a manager's decision) until a manager releases it."""

from collections.abc import Sequence

from sqlalchemy import delete, select
from vigie.publisher.v1 import events_pb2
from vigie.publisher.v1 import resources_pb2 as pb
from vigie_runtime.errors import FailedPrecondition, InvalidArgument
from vigie_runtime.ids import new_id
from vigie_runtime.principal import READ_ROLES, Principal, Role
from vigie_runtime.uow import UnitOfWork

from vigie_publisher.adapters.orm import (
    AuditEntryRow,
    KnownBrandRow,
    PostRow,
    QueueRow,
    QueueSlotRow,
)
from vigie_publisher.app import accounts, events
from vigie_publisher.app.common import now
from vigie_publisher.app.held_posts import waiting_posts
from vigie_publisher.app.names import BRAND, POST
from vigie_publisher.app.views import stamp
from vigie_publisher.domain.scheduling import parse_slot

MANAGERS = (Role.GROUP_ADMIN, Role.SOCIAL_MEDIA_MANAGER)
MAX_SLOTS = 200


def queue_name(tenant: str, brand_id: str) -> str:
    return f"{BRAND.format(tenant, brand_id)}/queue"


async def queue_of(uow: UnitOfWork, tenant: str, brand_id: str) -> QueueRow:
    row = await uow.session.get(QueueRow, (tenant, brand_id))
    if row is None:
        row = QueueRow(
            tenant=tenant,
            brand_id=brand_id,
            held=False,
            hold_reason="",
            held_by="",
            held_at=None,
            version=1,
            updated_at=now(),
        )
        uow.session.add(row)
    return row


async def set_slots(
    uow: UnitOfWork, who: Principal, account_name: str, slots: Sequence[pb.QueueSlot]
) -> None:
    """Replaces an account's recurring slots (local times in the account's zone)."""
    account = await accounts.get(uow, who, account_name)
    who.require(MANAGERS, accounts.subsidiary_of(account))
    if len(slots) > MAX_SLOTS:
        raise InvalidArgument("slots", f"at most {MAX_SLOTS} slots")
    parsed = []
    for i, slot in enumerate(slots):
        try:
            parse_slot(slot.weekday, slot.local_time)
        except ValueError as exc:
            raise InvalidArgument(f"slots[{i}]", str(exc)) from exc
        parsed.append((int(slot.weekday), slot.local_time))
    await uow.session.execute(
        delete(QueueSlotRow).where(
            QueueSlotRow.tenant == account.tenant, QueueSlotRow.account_id == account.id
        )
    )
    for weekday, local_time in dict.fromkeys(parsed):
        uow.session.add(
            QueueSlotRow(
                id=new_id(),
                tenant=account.tenant,
                brand_id=account.brand_id,
                account_id=account.id,
                weekday=weekday,
                local_time=local_time,
            )
        )


def _view(row: QueueRow) -> pb.Queue:
    message = pb.Queue(
        name=queue_name(row.tenant, row.brand_id),
        brand=BRAND.format(row.tenant, row.brand_id),
        held=row.held,
        hold_reason=row.hold_reason,
        held_by=row.held_by,
        update_time=stamp(row.updated_at),
        etag=str(row.version),
    )
    if row.held_at is not None:
        message.hold_time.CopyFrom(stamp(row.held_at))
    return message


def _audit(uow: UnitOfWork, row: QueueRow, action: str, actor: str, comment: str) -> None:
    uow.session.add(
        AuditEntryRow(
            id=new_id(),
            tenant=row.tenant,
            subject=queue_name(row.tenant, row.brand_id),
            action=action,
            actor=actor,
            comment=comment[:2000],
            stage=0,
            at=now(),
        )
    )


async def hold(
    uow: UnitOfWork, tenant: str, brand_id: str, subsidiary: str, actor: str, reason: str
) -> QueueRow:
    """Holds the brand's queue at once; holding a held queue changes nothing."""
    row = await queue_of(uow, tenant, brand_id)
    if row.held:
        return row
    moment = now()
    row.held, row.hold_reason, row.held_by, row.held_at = True, reason[:500], actor, moment
    row.version, row.updated_at = row.version + 1, moment
    _audit(uow, row, "held", actor, reason)
    held = await waiting_posts(uow, tenant, brand_id)
    event = events_pb2.QueueHeld(queue=_view(row), subsidiary=subsidiary, held_posts=held)
    uow.emit(events.QUEUE_HELD, row.tenant, event)
    return row


async def scheduled_into(uow: UnitOfWork, post: PostRow) -> None:
    """A post scheduled while its brand's queue is held waits too: `queue.held` again, naming
    it, so a crisis room lists every post its hold stops, not only those waiting when it began."""
    row = await uow.session.get(QueueRow, (post.tenant, post.brand_id))
    if row is None or not row.held or post.statement:
        return
    name = POST.format(post.tenant, post.brand_id, post.id)
    event = events_pb2.QueueHeld(
        queue=_view(row), subsidiary=accounts.subsidiary_of(post), held_posts=[name]
    )
    uow.emit(events.QUEUE_HELD, row.tenant, event)


async def hold_by_member(uow: UnitOfWork, who: Principal, name: str, reason: str) -> pb.Queue:
    brand = await _brand_of_queue(uow, who, name)
    who.require(MANAGERS, accounts.subsidiary_of(brand))
    subsidiary = accounts.subsidiary_of(brand)
    return _view(await hold(uow, brand.tenant, brand.id, subsidiary, who.subject, reason))


async def release(uow: UnitOfWork, who: Principal, name: str) -> pb.Queue:
    """Only a social media manager (or group admin) releases a held queue; audited."""
    brand = await _brand_of_queue(uow, who, name)
    who.require(MANAGERS, accounts.subsidiary_of(brand))
    row = await queue_of(uow, brand.tenant, brand.id)
    if not row.held:
        raise FailedPrecondition("QUEUE_NOT_HELD", f"{name} is not held")
    moment = now()
    _audit(uow, row, "released", who.subject, row.hold_reason)
    held_by = row.held_by
    row.held, row.hold_reason, row.held_by, row.held_at = False, "", "", None
    row.version, row.updated_at = row.version + 1, moment
    event = events_pb2.QueueReleased(
        queue=_view(row),
        subsidiary=accounts.subsidiary_of(brand),
        released_posts=await waiting_posts(uow, brand.tenant, brand.id),
        held_by=held_by,
    )
    uow.emit(events.QUEUE_RELEASED, row.tenant, event)
    return _view(row)


async def get(uow: UnitOfWork, who: Principal, name: str) -> pb.Queue:
    brand = await _brand_of_queue(uow, who, name)
    who.require(READ_ROLES, accounts.subsidiary_of(brand))
    return _view(await queue_of(uow, brand.tenant, brand.id))


async def _brand_of_queue(uow: UnitOfWork, who: Principal, name: str) -> KnownBrandRow:
    if not name.endswith("/queue"):
        raise InvalidArgument("name", "expected tenants/{tenant}/brands/{brand}/queue")
    return await accounts.own_brand(uow, who, name.removesuffix("/queue"), "name")


async def held_brands(uow: UnitOfWork) -> set[tuple[str, str]]:
    query = select(QueueRow.tenant, QueueRow.brand_id).where(QueueRow.held.is_(True))
    return {(t, b) for t, b in (await uow.session.execute(query)).all()}
