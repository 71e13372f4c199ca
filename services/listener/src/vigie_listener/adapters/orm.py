"""The listener's tables. Every row carries its tenant; every query filters by it."""

from datetime import datetime

from sqlalchemy import JSON, BigInteger, Boolean, DateTime, Index, Integer, String, Table, Text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column
from vigie_directory_replica import KnownBrandColumns
from vigie_runtime.database import ServiceBase, new_metadata
from vigie_runtime.tables import add_runtime_tables


class Base(ServiceBase):
    __abstract__ = True
    metadata = new_metadata()


class KnownBrandRow(KnownBrandColumns, Base):
    """This service's replica of the directory's brands (see `vigie_directory_replica`)."""

    __tablename__ = "known_brands"


class ListeningQueryRow(Base):
    """A brand's listening query. Deletion leaves a tombstone (`deleted`) with a fresh
    `updated_at`, so every process's matcher learns of it from the same watermark."""

    __tablename__ = "listening_queries"
    __table_args__ = (Index("ix_listening_queries_tenant_brand", "tenant", "brand_id"),)
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    tenant: Mapped[str] = mapped_column(String(64))
    brand_id: Mapped[str] = mapped_column(String(64))
    display_name: Mapped[str] = mapped_column(String(100))
    query: Mapped[str] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


class MentionRow(Base):
    """A captured text that matched a brand's queries: one row per (item, brand)."""

    __tablename__ = "mentions"
    __table_args__ = (
        # The same item of a source is stored once per brand.
        Index("uq_mentions_item", "source_id", "external_id", "tenant", "brand_id", unique=True),
        # The same URL seen through several sources is stored once per brand.
        Index("uq_mentions_url", "url_key", "tenant", "brand_id", unique=True),
        Index("ix_mentions_page", "tenant", "publish_time", "id"),
    )
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    tenant: Mapped[str] = mapped_column(String(64))
    brand_id: Mapped[str] = mapped_column(String(64))
    source_id: Mapped[str] = mapped_column(String(64))
    source_kind: Mapped[int] = mapped_column(Integer)
    external_id: Mapped[str] = mapped_column(String(512))
    url: Mapped[str] = mapped_column(String(2048), default="")
    # A digest of the normalised URL; NULL when there is none (NULLs never collide).
    url_key: Mapped[str | None] = mapped_column(String(64), nullable=True)
    text: Mapped[str] = mapped_column(Text)
    # Case- and accent-folded text, for full-text filters.
    folded_text: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(35), default="")
    author_handle: Mapped[str] = mapped_column(String(256), default="")
    author_display_name: Mapped[str] = mapped_column(String(256), default="")
    author_followers: Mapped[int] = mapped_column(BigInteger, default=0)
    author_external_id: Mapped[str] = mapped_column(String(256), default="")
    reply_to: Mapped[list[str]] = mapped_column(JSON, default=list)
    quote_of: Mapped[list[str]] = mapped_column(JSON, default=list)
    country: Mapped[str] = mapped_column(String(2), default="")
    matched_queries: Mapped[list[str]] = mapped_column(JSON, default=list)
    publish_time: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    capture_time: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class SourceRow(Base):
    """A tenant's source of mentions, its connector's stored cursor and health counters."""

    __tablename__ = "sources"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    tenant: Mapped[str] = mapped_column(String(64), index=True)
    kind: Mapped[int] = mapped_column(Integer)
    display_name: Mapped[str] = mapped_column(String(100))
    config: Mapped[dict[str, object]] = mapped_column(JSON, default=dict)
    brands: Mapped[list[str]] = mapped_column(JSON, default=list)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    # Where the connector resumes (a firehose sequence, a feed's ETag...), saved with the
    # mentions it captured, in the same transaction.
    cursor: Mapped[str] = mapped_column(Text, default="")
    captured_count: Mapped[int] = mapped_column(BigInteger, default=0)
    skipped_count: Mapped[int] = mapped_column(BigInteger, default=0)
    error_count: Mapped[int] = mapped_column(BigInteger, default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
    last_item_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    checked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class PartnerQuotaRow(Base):
    """Mentions a partner pushed in one minute, for its per-minute quota."""

    __tablename__ = "partner_quotas"
    tenant: Mapped[str] = mapped_column(String(64), primary_key=True)
    partner: Mapped[str] = mapped_column(String(256), primary_key=True)
    minute: Mapped[datetime] = mapped_column(DateTime(timezone=True), primary_key=True)
    used: Mapped[int] = mapped_column(Integer, default=0)


class PublishedPostRow(Base):
    """A brand's post as the publisher published it, under each of its network references
    (the network's id, e.g. an at:// URI, and its link): replies and quotes name one of them."""

    __tablename__ = "published_posts"
    # A shared stream (the firehose) looks references up for every tenant at once.
    __table_args__ = (Index("ix_published_posts_reference", "reference"),)
    tenant: Mapped[str] = mapped_column(String(64), primary_key=True)
    reference: Mapped[str] = mapped_column(String(512), primary_key=True)
    brand_id: Mapped[str] = mapped_column(String(64))
    post_id: Mapped[str] = mapped_column(String(64))
    publication: Mapped[str] = mapped_column(String(512))
    network: Mapped[int] = mapped_column(Integer)
    published_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class PostEngagementRow(Base):
    """One captured item engaging with a published post (a reply, a quote...): stored once,
    so an item captured again is not counted again."""

    __tablename__ = "post_engagements"
    tenant: Mapped[str] = mapped_column(String(64), primary_key=True)
    brand_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    post_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    external_id: Mapped[str] = mapped_column(String(512), primary_key=True)
    captured_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class PostEngagementCountRow(Base):
    """How many items engaged with a published post, per kind of engagement."""

    __tablename__ = "post_engagement_counts"
    tenant: Mapped[str] = mapped_column(String(64), primary_key=True)
    brand_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    post_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[int] = mapped_column(Integer, primary_key=True)
    count: Mapped[int] = mapped_column(BigInteger, default=0)


RUNTIME_TABLES = add_runtime_tables(Base.metadata)


def dialect_insert(session: AsyncSession, table: Table) -> sqlite.Insert | postgresql.Insert:
    """An INSERT with the database's own `ON CONFLICT` clauses (the same on both)."""
    if session.get_bind().dialect.name == "sqlite":
        return sqlite.insert(table)
    return postgresql.insert(table)
