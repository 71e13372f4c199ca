"""Recording what a network answered, in the database and the outbox, in one transaction."""

from datetime import datetime

from sqlalchemy import select
from vigie.publisher.v1 import events_pb2
from vigie.publisher.v1 import resources_pb2 as pb
from vigie_runtime.uow import UnitOfWork

from vigie_publisher.adapters.orm import PostRow, PublicationRow, SocialAccountRow
from vigie_publisher.app import events, metrics, reply_dispatch, token_health, views
from vigie_publisher.app.accounts import subsidiary_of
from vigie_publisher.app.names import POST, SOCIAL_ACCOUNT
from vigie_publisher.domain.dispatch_rules import Next
from vigie_publisher.domain.publishing import PublishedPost, PublishError

STATE_NUMBERS = {
    "scheduled": pb.PUBLICATION_STATE_SCHEDULED,
    "publishing": pb.PUBLICATION_STATE_PUBLISHING,
    "published": pb.PUBLICATION_STATE_PUBLISHED,
    "failed": pb.PUBLICATION_STATE_FAILED,
    "unknown": pb.PUBLICATION_STATE_UNKNOWN,
}


def publication_view(row: PublicationRow) -> pb.Publication:
    post = POST.format(row.tenant, row.brand_id, row.post_id)
    message = pb.Publication(
        name=f"{post}/publications/{row.id}",
        post=post,
        social_account=SOCIAL_ACCOUNT.format(row.tenant, row.brand_id, row.account_id),
        state=STATE_NUMBERS.get(row.state, pb.PUBLICATION_STATE_UNSPECIFIED),
        external_id=row.external_id,
        external_uri=row.external_uri,
        attempts=row.attempts,
        last_error=row.last_error,
        schedule_time=views.stamp(row.due_at),
        update_time=views.stamp(row.updated_at),
    )
    if row.published_at is not None:
        message.publish_time.CopyFrom(views.stamp(row.published_at))
    return message


def _status(states: set[str]) -> str:
    if states <= {"published"}:
        return "published"
    if states <= {"published", "failed"}:
        return "failed"
    return "publishing"


async def _settle_posts(uow: UnitOfWork, rows: list[PublicationRow]) -> dict[str, PostRow]:
    """Each post's status once its publications are settled; a few queries for many posts."""
    post_ids = list({r.post_id for r in rows})
    if not post_ids:
        return {}
    found = await uow.session.execute(
        select(PublicationRow.post_id, PublicationRow.state).where(
            PublicationRow.tenant == rows[0].tenant, PublicationRow.post_id.in_(post_ids)
        )
    )
    states: dict[str, set[str]] = {}
    for post_id, state in found.all():
        states.setdefault(post_id, set()).add(state)
    query = select(PostRow).where(PostRow.tenant == rows[0].tenant, PostRow.id.in_(post_ids))
    parents = {p.id: p for p in (await uow.session.execute(query)).scalars()}
    for post_id, parent in parents.items():
        parent.status = _status(states.get(post_id, set()))
    return parents


async def _settle_post(uow: UnitOfWork, row: PublicationRow) -> PostRow | None:
    return (await _settle_posts(uow, [row])).get(row.post_id)


async def published(
    uow: UnitOfWork, publication_id: str, post: PublishedPost, now: datetime
) -> None:
    await published_many(uow, [(publication_id, post)], now)


async def published_many(
    uow: UnitOfWork, confirmed: list[tuple[str, PublishedPost]], now: datetime
) -> None:
    """Stores the networks' ids and announces each publication; already-published ones are
    left alone (a reconciled retry)."""
    posts = dict(confirmed)
    query = select(PublicationRow).where(PublicationRow.id.in_(list(posts))).with_for_update()
    rows = [r for r in (await uow.session.execute(query)).scalars() if r.state != "published"]
    for row in rows:
        post = posts[row.id]
        row.state, row.external_id, row.external_uri = "published", post.external_id, post.url
        row.published_at, row.updated_at, row.last_error = now, now, ""
    metrics.observe_published_after_commit(uow, rows)
    await reply_dispatch.published(uow, [r for r in rows if r.reply_id], now)
    by_tenant: dict[str, list[PublicationRow]] = {}
    for row in rows:
        if row.reply_id:
            continue
        by_tenant.setdefault(row.tenant, []).append(row)
    for tenant_rows in by_tenant.values():
        parents = await _settle_posts(uow, tenant_rows)
        for row in tenant_rows:
            parent = parents.get(row.post_id)
            if parent is None:
                continue
            message = events_pb2.PostPublished(
                post=views.post(parent),
                subsidiary=subsidiary_of(parent),
                publication=publication_view(row),
                statement=parent.statement,
            )
            uow.emit(events.POST_PUBLISHED, row.tenant, message)


async def not_published(
    uow: UnitOfWork,
    publication_id: str,
    decided: Next,
    error: PublishError | None,
    now: datetime,
) -> None:
    row = await uow.session.get(PublicationRow, publication_id, with_for_update=True)
    if row is None or row.state == "published":
        return
    detail = error.detail if error else decided.reason
    row.state, row.not_before, row.updated_at = decided.state, decided.not_before, now
    row.last_error = f"{decided.reason}: {detail}"[:1000]
    account = await uow.session.get(SocialAccountRow, row.account_id)
    if account is not None and error is not None:
        token_health.record_failure(uow, account, error, now)
    if decided.state != "failed":
        return
    if row.reply_id:
        await reply_dispatch.failed(uow, row, decided.reason, now)
        return
    parent = await _settle_post(uow, row)
    if parent is not None:
        message = events_pb2.PostFailed(
            post=views.post(parent),
            subsidiary=subsidiary_of(parent),
            publication=publication_view(row),
            reason=decided.reason,
        )
        uow.emit(events.POST_FAILED, row.tenant, message)


async def given_back(uow: UnitOfWork, publication_id: str, later: Next) -> None:
    """A claim returned unused (throttled by the account's bucket): not an attempt."""
    row = await uow.session.get(PublicationRow, publication_id, with_for_update=True)
    if row is None or row.state == "published":
        return
    row.state, row.not_before, row.attempts = later.state, later.not_before, row.attempts - 1
