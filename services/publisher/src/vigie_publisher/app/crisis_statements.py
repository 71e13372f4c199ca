"""A crisis statement approved in the reputation's crisis room, published once on the brand's
accounts (all of them, or those named) through the normal post path: a post, approved by the
approval in the room, published now, through the crisis hold of the brand's queue.

The post's `statement` column names the statement: it makes the post recognisable to the
dispatcher (let through the hold), to `post.published` (which names the statement) and to a
redelivered approval (which finds the post and does nothing); a unique index keeps it to one
post per statement even when two deliveries race. Its author is the approving manager."""

import logging

from sqlalchemy import select
from vigie.publisher.v1 import events_pb2
from vigie.reputation.v1 import events_pb2 as reputation_events
from vigie_runtime.ids import new_id
from vigie_runtime.resource_names import ResourcePattern
from vigie_runtime.uow import UnitOfWork

from vigie_publisher.adapters.orm import AuditEntryRow, KnownBrandRow, PostRow, SocialAccountRow
from vigie_publisher.app import events, scheduling, views
from vigie_publisher.app import variant_codec as codec
from vigie_publisher.app.accounts import subsidiary_of
from vigie_publisher.app.common import now
from vigie_publisher.app.names import POST
from vigie_publisher.app.posts import PostRejected, checked_variants
from vigie_publisher.domain.posts import Part, Variant
from vigie_publisher.domain.text import Network

log = logging.getLogger(__name__)
STATEMENT = ResourcePattern("statement", ("tenants", "brands", "crises", "statements"))
ACCOUNT = ResourcePattern("social_account", ("tenants", "brands", "socialAccounts"))


async def statement_approved(
    uow: UnitOfWork, tenant: str, approved: reputation_events.StatementApproved
) -> PostRow | None:
    """Publishes the statement now; None when it is not this tenant's, already published, or
    has no account to go on (logged: the room then shows it approved, never published)."""
    _, brand_id, _, _ = STATEMENT.parse(approved.statement, "statement")
    if approved.statement.split("/")[1] != tenant:
        raise ValueError(f"a statement of another tenant in {tenant}'s event")
    existing = await uow.session.scalar(
        select(PostRow.id).where(PostRow.tenant == tenant, PostRow.statement == approved.statement)
    )
    brand = await uow.session.get(KnownBrandRow, (tenant, brand_id))
    if existing is not None or brand is None:
        return None
    accounts = await _accounts(uow, tenant, brand_id, list(approved.accounts))
    if not accounts:
        log.warning("statement %s: the brand has no account to publish on", approved.statement)
        return None
    networks = dict.fromkeys(Network(a.network) for a in accounts)
    drafted = [Variant(n, approved.language, (Part(approved.text),)) for n in networks]
    try:
        variants = checked_variants(drafted, accounts)
    except PostRejected as rejected:
        log.warning("statement %s cannot be published: %s", approved.statement, rejected)
        return None
    return _publish_now(uow, brand, approved, variants, accounts)


async def _accounts(
    uow: UnitOfWork, tenant: str, brand_id: str, names: list[str]
) -> list[SocialAccountRow]:
    t = SocialAccountRow
    query = select(t).where(t.tenant == tenant, t.brand_id == brand_id, t.deleted.is_(False))
    if names:
        wanted = [ACCOUNT.parse(n, "accounts")[2] for n in names]
        query = query.where(t.id.in_(wanted))
    return list((await uow.session.execute(query.order_by(t.id))).scalars())


def _publish_now(
    uow: UnitOfWork,
    brand: KnownBrandRow,
    approved: reputation_events.StatementApproved,
    variants: list[Variant],
    accounts: list[SocialAccountRow],
) -> PostRow:
    moment = now()
    row = PostRow(
        id=new_id(),
        tenant=brand.tenant,
        brand_id=brand.id,
        subsidiary_id=brand.subsidiary_id,
        author=approved.approver,
        statement=approved.statement,
        status="scheduled",
        variants=[codec.to_json(v) for v in variants],
        account_ids=[a.id for a in accounts],
        schedule_at=moment,
        approval_deadline=None,
        stages=[],
        stage_index=0,
        version=1,
        created_at=moment,
        updated_at=moment,
    )
    uow.session.add(row)
    name = POST.format(brand.tenant, brand.id, row.id)
    # The one-step approval in the crisis room is the post's approval, in its trail.
    uow.session.add(
        AuditEntryRow(
            id=new_id(),
            tenant=brand.tenant,
            subject=name,
            action="approved",
            actor=approved.approver,
            comment=f"crisis statement {approved.statement}",
            stage=0,
            at=moment,
        )
    )
    for account in accounts:
        uow.session.add(scheduling.publication(row, account, moment))
    message = events_pb2.PostScheduled(
        post=views.post(row), subsidiary=subsidiary_of(row), schedule_time=views.stamp(moment)
    )
    uow.emit(events.POST_SCHEDULED, row.tenant, message)
    return row
