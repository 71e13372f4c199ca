"""The listener's tables. Every row carries its tenant; every query filters by it."""

from datetime import datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    Float,
    Index,
    Integer,
    String,
    Table,
    Text,
)
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


class InboxItemRow(Base):
    """A mention in a brand's engagement inbox; one per mention, whatever opened it."""

    __tablename__ = "inbox_items"
    __table_args__ = (
        Index("uq_inbox_items_mention", "tenant", "brand_id", "mention_id", unique=True),
        # Pages of a brand's or a subsidiary's inbox, most urgent first.
        Index("ix_inbox_items_brand_rank", "tenant", "brand_id", "rank_key", "id"),
        Index("ix_inbox_items_subsidiary_rank", "tenant", "subsidiary_id", "rank_key", "id"),
        # The open_time order (longest waiting first) pages on these, as the rank order does.
        Index("ix_inbox_items_brand_open", "tenant", "brand_id", "opened_at", "id"),
        Index("ix_inbox_items_subsidiary_open", "tenant", "subsidiary_id", "opened_at", "id"),
        # The breach loop's sweep of items still waiting, oldest first.
        Index("ix_inbox_items_waiting", "status", "opened_at"),
    )
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    tenant: Mapped[str] = mapped_column(String(64))
    brand_id: Mapped[str] = mapped_column(String(64))
    subsidiary_id: Mapped[str] = mapped_column(String(64))
    mention_id: Mapped[str] = mapped_column(String(40))
    # InboxReason numbers, and the same as bits (1 << reason) for the database to filter on.
    reasons: Mapped[list[int]] = mapped_column(JSON, default=list)
    reason_mask: Mapped[int] = mapped_column(Integer, default=0)
    followers: Mapped[int] = mapped_column(BigInteger, default=0)
    # "NEGATIVE", "NEUTRAL", "POSITIVE", or "" before scoring.
    sentiment: Mapped[str] = mapped_column(String(16), default="")
    # The brand's open crisis (its id) when the item is part of one, else "".
    crisis_id: Mapped[str] = mapped_column(String(64), default="")
    # Urgency without its waiting part, and the key that orders waiting items by urgency.
    base_urgency: Mapped[float] = mapped_column(Float, default=0.0)
    rank_key: Mapped[float] = mapped_column(Float, default=0.0)
    status: Mapped[int] = mapped_column(Integer)
    # A member id of the tenant, or "".
    assignee_id: Mapped[str] = mapped_column(String(64), default="")
    labels: Mapped[list[str]] = mapped_column(JSON, default=list)
    note_count: Mapped[int] = mapped_column(Integer, default=0)
    reply: Mapped[str] = mapped_column(String(512), default="")
    responder: Mapped[str] = mapped_column(String(512), default="")
    first_response_breached: Mapped[bool] = mapped_column(Boolean, default=False)
    resolution_breached: Mapped[bool] = mapped_column(Boolean, default=False)
    opened_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    first_response_at: Mapped[datetime | None] = mapped_column(
        DateTime(timezone=True), nullable=True
    )
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    version: Mapped[int] = mapped_column(Integer, default=1)


class InboxLabelRow(Base):
    """One label of an inbox item (also kept on the item), for filtering a page by label."""

    __tablename__ = "inbox_labels"
    __table_args__ = (Index("ix_inbox_labels_label", "tenant", "label"),)
    tenant: Mapped[str] = mapped_column(String(64), primary_key=True)
    item_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    label: Mapped[str] = mapped_column(String(64), primary_key=True)


class InboxNoteRow(Base):
    """An internal note on an inbox item."""

    __tablename__ = "inbox_notes"
    __table_args__ = (Index("ix_inbox_notes_item", "tenant", "item_id", "created_at", "id"),)
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    tenant: Mapped[str] = mapped_column(String(64))
    item_id: Mapped[str] = mapped_column(String(40))
    text: Mapped[str] = mapped_column(Text)
    author: Mapped[str] = mapped_column(String(512))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class MentionThreadRow(Base):
    """Where a captured mention sits in a thread: its own network id and what it replies to,
    so a conversation is walked up and down by index rather than through JSON columns."""

    __tablename__ = "mention_threads"
    __table_args__ = (
        Index("ix_mention_threads_external", "tenant", "brand_id", "external_id"),
        Index("ix_mention_threads_parent", "tenant", "brand_id", "parent_reference"),
    )
    tenant: Mapped[str] = mapped_column(String(64), primary_key=True)
    brand_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    mention_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    external_id: Mapped[str] = mapped_column(String(512))
    # The reply's target as the network names it, or "".
    parent_reference: Mapped[str] = mapped_column(String(512), default="")
    publish_time: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class KnownCrisisRow(Base):
    """The reputation service's crises, as its events said: which brands are in one now."""

    __tablename__ = "known_crises"
    __table_args__ = (Index("ix_known_crises_brand", "tenant", "brand_id", "open"),)
    tenant: Mapped[str] = mapped_column(String(64), primary_key=True)
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    brand_id: Mapped[str] = mapped_column(String(64))
    open: Mapped[bool] = mapped_column(Boolean)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class KnownMemberRow(Base):
    """The directory's members, as its `member.*` events said: where each holds a role, so an
    item is assigned only to someone of its subsidiary."""

    __tablename__ = "known_members"
    tenant: Mapped[str] = mapped_column(String(64), primary_key=True)
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    # Subsidiary ids where the member holds a role.
    subsidiaries: Mapped[list[str]] = mapped_column(JSON, default=list)
    # A role held group-wide (every subsidiary).
    group_wide: Mapped[bool] = mapped_column(Boolean, default=False)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    # The directory's time of these facts; older events are ignored.
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ResponseTargetRow(Base):
    """How fast a subsidiary means to answer (0: no target)."""

    __tablename__ = "response_targets"
    tenant: Mapped[str] = mapped_column(String(64), primary_key=True)
    subsidiary_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    first_response_seconds: Mapped[int] = mapped_column(BigInteger, default=0)
    resolution_seconds: Mapped[int] = mapped_column(BigInteger, default=0)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


RUNTIME_TABLES = add_runtime_tables(Base.metadata)


def dialect_insert(session: AsyncSession, table: Table) -> sqlite.Insert | postgresql.Insert:
    """An INSERT with the database's own `ON CONFLICT` clauses (the same on both)."""
    if session.get_bind().dialect.name == "sqlite":
        return sqlite.insert(table)
    return postgresql.insert(table)
