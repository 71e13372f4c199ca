"""Claiming due publications: each one by one worker at a time, with a lease.

On PostgreSQL `FOR UPDATE SKIP LOCKED` lets replicas claim side by side without sharing one; on
SQLite the transaction starts with `BEGIN IMMEDIATE`, so claims are serialized (run one worker).
A claim moves the publication to `publishing` with `not_before` at the end of its lease: a worker
that dies mid-call leaves it there, and it is claimed again, and reconciled, when the lease ends.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, exists, or_, select, update
from vigie_runtime.uow import UnitOfWork

from vigie_publisher.adapters.orm import PostRow, PublicationRow, QueueRow, SocialAccountRow
from vigie_publisher.app.common import utc

CLAIMABLE = ("scheduled", "publishing", "unknown")


@dataclass(frozen=True)
class Claim:
    publication_id: str
    tenant: str
    account_id: str
    network: str
    variant: dict[str, Any]
    due_at: datetime
    attempts: int  # including this one
    previous_state: str
    sealed_credentials: str
    account_health: str
    account_deleted: bool


def _statement() -> Any:
    """The publication is of a crisis statement (its post names the statement)."""
    return exists().where(
        and_(
            PostRow.tenant == PublicationRow.tenant,
            PostRow.id == PublicationRow.post_id,
            PostRow.statement != "",
        )
    )


def _due(now: datetime, limit: int) -> Any:
    held = exists().where(
        and_(
            QueueRow.tenant == PublicationRow.tenant,
            QueueRow.brand_id == PublicationRow.brand_id,
            QueueRow.held.is_(True),
        )
    )
    return (
        select(PublicationRow, SocialAccountRow)
        .join(
            SocialAccountRow,
            and_(
                SocialAccountRow.id == PublicationRow.account_id,
                SocialAccountRow.tenant == PublicationRow.tenant,
            ),
        )
        .where(
            PublicationRow.state.in_(CLAIMABLE),
            PublicationRow.not_before <= now,
            # A reply goes through a held queue: in a crisis it waits for a manager instead.
            # So does an approved crisis statement: it is what the crisis needs said.
            or_(~held, PublicationRow.reply_id != "", _statement()),
        )
        .order_by(PublicationRow.not_before)
        .limit(limit)
    )


async def claim_due(
    uow: UnitOfWork, now: datetime, limit: int, lease: timedelta, skip_locked: bool
) -> list[Claim]:
    """Claims up to `limit` due publications of unheld brands; the caller commits."""
    query = _due(now, limit)
    if skip_locked:
        query = query.with_for_update(skip_locked=True, of=PublicationRow)
    rows = (await uow.session.execute(query)).all()
    claims = []
    for publication, account in rows:
        claims.append(
            Claim(
                publication.id,
                publication.tenant,
                account.id,
                publication.network,
                dict(publication.variant),
                utc(publication.due_at),
                publication.attempts + 1,
                publication.state,
                account.sealed_credentials,
                account.token_health,
                account.deleted,
            )
        )
    if claims:
        await uow.session.execute(
            update(PublicationRow)
            .where(PublicationRow.id.in_([c.publication_id for c in claims]))
            .values(
                state="publishing",
                attempts=PublicationRow.attempts + 1,
                not_before=now + lease,
                updated_at=now,
            )
            .execution_options(synchronize_session=False)
        )
    return claims
