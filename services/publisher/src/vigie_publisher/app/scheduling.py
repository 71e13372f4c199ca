"""Scheduling an approved post: one publication per account, at a given UTC time or at each
account's next free slot in its own zone, every variant checked again, caps warned about."""

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from vigie.publisher.v1 import events_pb2
from vigie_runtime.errors import FailedPrecondition, InvalidArgument
from vigie_runtime.field_masks import check_etag
from vigie_runtime.ids import new_id
from vigie_runtime.principal import Principal
from vigie_runtime.uow import UnitOfWork

from vigie_publisher.adapters.orm import PostRow, PublicationRow, QueueSlotRow, SocialAccountRow
from vigie_publisher.app import events, posts, queues, views
from vigie_publisher.app import variant_codec as codec
from vigie_publisher.app.accounts import subsidiary_of
from vigie_publisher.app.common import now, utc
from vigie_publisher.domain.posts import variant_for
from vigie_publisher.domain.publishing_caps import cap_warning
from vigie_publisher.domain.scheduling import Slot, next_free_slot, parse_slot
from vigie_publisher.domain.text import Network


async def _taken(uow: UnitOfWork, account: SocialAccountRow) -> list[datetime]:
    query = select(PublicationRow.due_at).where(
        PublicationRow.tenant == account.tenant,
        PublicationRow.account_id == account.id,
        PublicationRow.state.in_(("scheduled", "publishing", "unknown")),
    )
    return [utc(t) for t in (await uow.session.execute(query)).scalars()]


async def _slots(uow: UnitOfWork, account: SocialAccountRow) -> list[Slot]:
    query = select(QueueSlotRow).where(
        QueueSlotRow.tenant == account.tenant, QueueSlotRow.account_id == account.id
    )
    return [
        parse_slot(r.weekday, r.local_time) for r in (await uow.session.execute(query)).scalars()
    ]


async def _due(
    uow: UnitOfWork, account: SocialAccountRow, when: datetime | None, moment: datetime
) -> tuple[datetime, list[datetime]]:
    taken = await _taken(uow, account)
    if when is not None:
        return when, taken
    slot = next_free_slot(await _slots(uow, account), ZoneInfo(account.time_zone), moment, taken)
    if slot is None:
        raise FailedPrecondition("NO_FREE_SLOT", f"{account.handle} has no free posting slot")
    return slot, taken


def publication(row: PostRow, account: SocialAccountRow, due: datetime) -> PublicationRow:
    """The publication of `row` on `account` at `due`, with the account's variant frozen."""
    variants = [codec.from_json(v) for v in row.variants]
    variant = variant_for(variants, Network(account.network), account.language)
    if variant is None:
        raise InvalidArgument("variants", f"no variant for {account.handle}", "NO_VARIANT")
    return PublicationRow(
        id=new_id(),
        tenant=row.tenant,
        brand_id=row.brand_id,
        post_id=row.id,
        account_id=account.id,
        network=account.network,
        state="scheduled",
        variant=codec.to_json(variant),
        due_at=due,
        not_before=due,
        attempts=0,
        external_id="",
        external_uri="",
        last_error="",
        published_at=None,
        updated_at=now(),
    )


async def schedule(
    uow: UnitOfWork, who: Principal, name: str, etag: str, when: datetime | None
) -> tuple[PostRow, list[str]]:
    """The scheduled post and the warnings (caps) its schedule raises."""
    row = await posts.get(uow, who, name)
    who.require(posts.WRITERS, subsidiary_of(row))
    if etag:
        check_etag(etag, row.version)
    if row.status != "approved":
        raise FailedPrecondition("POST_NOT_APPROVED", f"the post is {row.status}")
    moment = now()
    if when is not None and when <= moment:
        raise InvalidArgument("schedule_time", "must be in the future", "PAST_DATE")
    accounts = await posts.accounts_of(
        uow,
        who,
        row.brand_id,
        [f"tenants/{row.tenant}/brands/{row.brand_id}/socialAccounts/{a}" for a in row.account_ids],
    )
    posts.checked_variants([codec.from_json(v) for v in row.variants], accounts)
    warnings, dues = [], []
    for account in accounts:
        due, taken = await _due(uow, account, when, moment)
        if warning := cap_warning(Network(account.network), account.handle, due, taken):
            warnings.append(warning)
        uow.session.add(publication(row, account, due))
        dues.append(due)
    row.schedule_at, row.status = min(dues), "scheduled"
    row.version, row.updated_at = row.version + 1, moment
    message = events_pb2.PostScheduled(
        post=views.post(row), subsidiary=subsidiary_of(row), schedule_time=views.stamp(min(dues))
    )
    uow.emit(events.POST_SCHEDULED, row.tenant, message)
    await queues.scheduled_into(uow, row)
    return row, warnings
