"""The publisher's tables. Every row carries its tenant; every query filters by it."""

from datetime import datetime

from sqlalchemy import JSON, Boolean, DateTime, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column
from vigie_runtime.database import ServiceBase, new_metadata
from vigie_runtime.tables import add_runtime_tables


class Base(ServiceBase):
    __abstract__ = True
    metadata = new_metadata()


class KnownBrandRow(Base):
    """A brand as the directory's events last described it (this service's local replica)."""

    __tablename__ = "known_brands"
    tenant: Mapped[str] = mapped_column(String(64), primary_key=True)
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    subsidiary_id: Mapped[str] = mapped_column(String(64))
    display_name: Mapped[str] = mapped_column(String(100))
    # "own" or "competitor".
    kind: Mapped[str] = mapped_column(String(16))
    aliases: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Ids of the competitor brands, in the directory's order.
    competitors: Mapped[list[str]] = mapped_column(JSON, default=list)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    # The directory's time of the facts held here; older events are ignored.
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class SocialAccountRow(Base):
    """A brand's account on a network; its credentials are sealed (never stored in clear)."""

    __tablename__ = "social_accounts"
    __table_args__ = (Index("ix_social_accounts_tenant_brand", "tenant", "brand_id"),)
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    tenant: Mapped[str] = mapped_column(String(64))
    brand_id: Mapped[str] = mapped_column(String(64))
    subsidiary_id: Mapped[str] = mapped_column(String(64))
    network: Mapped[str] = mapped_column(String(16))
    handle: Mapped[str] = mapped_column(String(320))
    display_name: Mapped[str] = mapped_column(String(200), default="")
    time_zone: Mapped[str] = mapped_column(String(64))
    sealed_credentials: Mapped[str] = mapped_column(Text, default="")
    # ok | expiring | expired | revoked (domain.token_health.Health)
    token_health: Mapped[str] = mapped_column(String(16), default="ok")
    token_expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The classified cause of the last failure, e.g. "AUTH: 401 ExpiredToken".
    health_cause: Mapped[str] = mapped_column(String(500), default="")
    # The expiry already announced by `account.token_expiring`, so it is announced once.
    warned_for_expiry: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


RUNTIME_TABLES = add_runtime_tables(Base.metadata)
