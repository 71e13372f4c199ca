"""Changing and removing posts.

A post's content changes only while it is a draft (a rejected post is a draft again): what was
approved is what goes out. Deleting:
- a post that nothing was scheduled for yet (draft, submitted, approved) is deleted; its audit
  trail stays;
- a scheduled (or held) post is *cancelled*, not deleted: its publications that no dispatcher
  has claimed are removed, and the post goes back to draft, audited, to be edited or scheduled
  again. One that a dispatcher is publishing, or that went out, is refused (FAILED_PRECONDITION),
  so nothing the network may have received is forgotten.
"""

from sqlalchemy import delete, select
from vigie.publisher.v1 import resources_pb2 as pb
from vigie_runtime.errors import FailedPrecondition
from vigie_runtime.field_masks import check_etag
from vigie_runtime.principal import Principal
from vigie_runtime.uow import UnitOfWork

from vigie_publisher.adapters.orm import PostRow, PublicationRow
from vigie_publisher.app import approvals
from vigie_publisher.app import posts as posts_
from vigie_publisher.app import variant_codec as codec
from vigie_publisher.app.accounts import subsidiary_of
from vigie_publisher.app.common import now
from vigie_publisher.app.names import SOCIAL_ACCOUNT

UPDATABLE = ("variants", "social_accounts", "approval_deadline")
DELETABLE = ("draft", "submitted", "approved")
CANCELLABLE = ("scheduled", "held")


def _writable(row: PostRow, who: Principal, etag: str) -> None:
    who.require(posts_.WRITERS, subsidiary_of(row))
    if etag:
        check_etag(etag, row.version)


async def update(uow: UnitOfWork, who: Principal, source: pb.Post, paths: set[str]) -> PostRow:
    row = await posts_.get(uow, who, source.name)
    _writable(row, who, source.etag)
    if row.status != "draft":
        raise FailedPrecondition(
            "POST_NOT_DRAFT", f"only a draft changes; the post is {row.status}"
        )
    moment = now()
    names = list(source.social_accounts) if "social_accounts" in paths else None
    if names is None:
        names = [SOCIAL_ACCOUNT.format(row.tenant, row.brand_id, a) for a in row.account_ids]
    # Every change is checked against every account the post goes to.
    accounts = await posts_.accounts_of(uow, who, row.brand_id, names)
    row.account_ids = [a.id for a in accounts]
    if "approval_deadline" in paths:
        row.approval_deadline = posts_.deadline(source, moment)
    variants = codec.variants_from_proto(source.variants) if "variants" in paths else None
    if variants is None:
        variants = [codec.from_json(v) for v in row.variants]
    row.variants = [codec.to_json(v) for v in posts_.checked_variants(variants, accounts)]
    row.version, row.updated_at = row.version + 1, moment
    return row


async def delete_or_cancel(uow: UnitOfWork, who: Principal, name: str, etag: str) -> PostRow | None:
    """None when the post is deleted; the post, back to draft, when its schedule is cancelled."""
    row = await posts_.get(uow, who, name)
    _writable(row, who, etag)
    if row.status in DELETABLE:
        await uow.session.delete(row)
        return None
    if row.status not in CANCELLABLE:
        raise FailedPrecondition("POST_NOT_DELETABLE", f"the post is {row.status}")
    query = select(PublicationRow.state).where(
        PublicationRow.tenant == row.tenant, PublicationRow.post_id == row.id
    )
    states = set((await uow.session.execute(query.with_for_update())).scalars())
    if states - {"scheduled"}:
        raise FailedPrecondition(
            "POST_PUBLISHING", "a publication of this post is being published or went out"
        )
    await uow.session.execute(
        delete(PublicationRow).where(
            PublicationRow.tenant == row.tenant, PublicationRow.post_id == row.id
        )
    )
    row.status, row.schedule_at = "draft", None
    row.version, row.updated_at = row.version + 1, now()
    approvals.audit(uow, row, "cancelled", who, "schedule cancelled")
    return row
