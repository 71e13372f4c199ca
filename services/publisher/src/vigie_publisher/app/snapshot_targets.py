"""The accounts a snapshot is taken of: owned (social accounts with credentials) and tracked,
as one shape for the snapshotter."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select
from vigie_runtime.uow import UnitOfWork

from vigie_publisher.adapters.orm import SocialAccountRow, TrackedAccountRow
from vigie_publisher.app.common import utc
from vigie_publisher.app.names import SOCIAL_ACCOUNT, TRACKED_ACCOUNT

Row = SocialAccountRow | TrackedAccountRow


@dataclass(frozen=True)
class Target:
    owned: bool
    id: str
    tenant: str
    brand_id: str
    subsidiary_id: str
    network: str
    handle: str
    instance_url: str
    time_zone: str
    sealed_credentials: str
    last_snapshot_at: datetime | None

    @property
    def name(self) -> str:
        pattern = SOCIAL_ACCOUNT if self.owned else TRACKED_ACCOUNT
        return pattern.format(self.tenant, self.brand_id, self.id)


def target_of(row: Row) -> Target:
    owned = isinstance(row, SocialAccountRow)
    last = row.last_snapshot_at
    return Target(
        owned=owned, id=row.id, tenant=row.tenant, brand_id=row.brand_id,
        subsidiary_id=row.subsidiary_id, network=row.network, handle=row.handle,
        instance_url="" if isinstance(row, SocialAccountRow) else row.instance_url,
        time_zone=row.time_zone if isinstance(row, SocialAccountRow) else "",
        sealed_credentials=row.sealed_credentials if isinstance(row, SocialAccountRow) else "",
        last_snapshot_at=utc(last) if last is not None else None,
    )  # fmt: skip


async def due_targets(uow: UnitOfWork, taken_before: datetime) -> list[Target]:
    """Every account whose last snapshot is at or before `taken_before`, or that has none."""
    owned = select(SocialAccountRow).where(
        SocialAccountRow.deleted.is_(False),
        SocialAccountRow.sealed_credentials != "",
        or_(
            SocialAccountRow.last_snapshot_at.is_(None),
            SocialAccountRow.last_snapshot_at <= taken_before,
        ),
    )
    tracked = select(TrackedAccountRow).where(
        or_(
            TrackedAccountRow.last_snapshot_at.is_(None),
            TrackedAccountRow.last_snapshot_at <= taken_before,
        )
    )
    rows: list[Row] = [*(await uow.session.execute(owned.order_by(SocialAccountRow.id))).scalars()]
    rows += (await uow.session.execute(tracked.order_by(TrackedAccountRow.id))).scalars()
    return [target_of(row) for row in rows]


async def locked_row(uow: UnitOfWork, target: Target) -> Row | None:
    """The target's row, locked for the write (None when it was deleted meanwhile)."""
    if target.owned:
        owned = await uow.session.get(SocialAccountRow, target.id, with_for_update=True)
        return None if owned is None or owned.deleted else owned
    return await uow.session.get(TrackedAccountRow, target.id, with_for_update=True)
