"""The publisher's tables. Every row carries its tenant; every query filters by it."""

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
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
    # BCP 47; picks the variant of a post in this language ('' takes any).
    language: Mapped[str] = mapped_column(String(35), default="")
    sealed_credentials: Mapped[str] = mapped_column(Text, default="")
    # ok | expiring | expired | revoked (domain.token_health.Health)
    token_health: Mapped[str] = mapped_column(String(16), default="ok")
    token_expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The classified cause of the last failure, e.g. "AUTH: 401 ExpiredToken".
    health_cause: Mapped[str] = mapped_column(String(500), default="")
    # The expiry already announced by `account.token_expiring`, so it is announced once.
    warned_for_expiry: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The snapshotter's last success, and why its last read failed ('' when it did not).
    last_snapshot_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    snapshot_error: Mapped[str] = mapped_column(String(1000), default="", server_default="")
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class TrackedAccountRow(Base):
    """A public account measured for a brand (own or competitor) without publishing to it."""

    __tablename__ = "tracked_accounts"
    __table_args__ = (
        # One account once per brand: the handle is stored in its normalized form.
        UniqueConstraint("tenant", "brand_id", "network", "handle", name="uq_tracked_handle"),
    )
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    tenant: Mapped[str] = mapped_column(String(64))
    brand_id: Mapped[str] = mapped_column(String(64))
    subsidiary_id: Mapped[str] = mapped_column(String(64))
    network: Mapped[str] = mapped_column(String(16))
    handle: Mapped[str] = mapped_column(String(320))
    instance_url: Mapped[str] = mapped_column(String(500), default="")
    display_name: Mapped[str] = mapped_column(String(200), default="")
    last_snapshot_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_error: Mapped[str] = mapped_column(String(1000), default="")
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class BestTimesRow(Base):
    """This service's replica of the reputation service's best times of an owned account."""

    __tablename__ = "best_times"
    tenant: Mapped[str] = mapped_column(String(64), primary_key=True)
    account_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    brand_id: Mapped[str] = mapped_column(String(64))
    time_zone: Mapped[str] = mapped_column(String(64), default="")
    # [[weekday, minute_of_day, score], ...], best first.
    slots: Mapped[list[list[float]]] = mapped_column(JSON, default=list)
    # own_history | network_aggregate
    basis: Mapped[str] = mapped_column(String(32), default="")
    explanation: Mapped[list[str]] = mapped_column(JSON, default=list)
    # An older computation arriving late never replaces a newer one.
    computed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class PostRow(Base):
    """A post of a brand: its variants, targeted accounts, status and approval progress."""

    __tablename__ = "posts"
    __table_args__ = (
        Index("ix_posts_tenant_brand", "tenant", "brand_id"),
        # One post per crisis statement, whatever redelivers or races its approval.
        Index(
            "uq_posts_statement",
            "tenant",
            "statement",
            unique=True,
            sqlite_where=text("statement != ''"),
            postgresql_where=text("statement != ''"),
        ),
    )
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    tenant: Mapped[str] = mapped_column(String(64))
    brand_id: Mapped[str] = mapped_column(String(64))
    subsidiary_id: Mapped[str] = mapped_column(String(64))
    # The member who wrote it; for a crisis statement, the manager who approved it.
    author: Mapped[str] = mapped_column(String(200))
    # The crisis statement it publishes (tenants/{t}/brands/{b}/crises/{c}/statements/{s}),
    # "" for an ordinary post.
    statement: Mapped[str] = mapped_column(String(300), default="", server_default="")
    # draft | submitted | approved | scheduled | publishing | published | failed | held
    status: Mapped[str] = mapped_column(String(16))
    # domain.posts.Variant as JSON (see app.post_input)
    variants: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    account_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    schedule_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    approval_deadline: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The workflow's stages as they were when submitted, and the stage reached.
    stages: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    stage_index: Mapped[int] = mapped_column(Integer, default=0)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class AuditEntryRow(Base):
    """Who did what to a post or a queue, and why: the trail is only ever appended to."""

    __tablename__ = "audit_entries"
    __table_args__ = (Index("ix_audit_subject", "tenant", "subject"),)
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    tenant: Mapped[str] = mapped_column(String(64))
    # The resource name of the post or queue.
    subject: Mapped[str] = mapped_column(String(300))
    # submitted | approved | rejected | held | released
    action: Mapped[str] = mapped_column(String(16))
    actor: Mapped[str] = mapped_column(String(300))
    comment: Mapped[str] = mapped_column(Text, default="")
    stage: Mapped[int] = mapped_column(Integer, default=0)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ApprovalPolicyRow(Base):
    __tablename__ = "approval_policies"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    tenant: Mapped[str] = mapped_column(String(64))
    display_name: Mapped[str] = mapped_column(String(200), default="")
    # '' for group-wide.
    subsidiary_id: Mapped[str] = mapped_column(String(64), default="")
    brand_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    # [{"role": "social_media_manager", "approvers": [...], "require_all": false}, ...]
    stages: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    # A community manager's reply to an author with this many followers waits (0: no threshold).
    reply_reach_threshold: Mapped[int] = mapped_column(
        BigInteger, default=0, server_default=text("0")
    )
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class PublicationRow(Base):
    """A post on one account: the unit published exactly once."""

    __tablename__ = "publications"
    __table_args__ = (
        Index("ix_publications_due", "state", "due_at"),
        Index("ix_publications_tenant_post", "tenant", "post_id"),
    )
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    tenant: Mapped[str] = mapped_column(String(64))
    brand_id: Mapped[str] = mapped_column(String(64))
    post_id: Mapped[str] = mapped_column(String(64))
    account_id: Mapped[str] = mapped_column(String(64))
    network: Mapped[str] = mapped_column(String(16))
    # scheduled | publishing | published | failed | unknown
    state: Mapped[str] = mapped_column(String(16))
    # The variant to publish (domain.posts.Variant as JSON), frozen when scheduled.
    variant: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    due_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # Not tried again before this (backoff, rate limits); a claim's lease also lives here.
    not_before: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    external_id: Mapped[str] = mapped_column(String(500), default="")
    external_uri: Mapped[str] = mapped_column(String(500), default="")
    last_error: Mapped[str] = mapped_column(String(1000), default="")
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # The reply it publishes ('' for a post's publication; then post_id names the post).
    reply_id: Mapped[str] = mapped_column(String(64), default="", server_default="")


class QueueRow(Base):
    """A brand's queue; while held, nothing of the brand is published."""

    __tablename__ = "queues"
    tenant: Mapped[str] = mapped_column(String(64), primary_key=True)
    brand_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    held: Mapped[bool] = mapped_column(Boolean, default=False)
    hold_reason: Mapped[str] = mapped_column(String(500), default="")
    held_by: Mapped[str] = mapped_column(String(300), default="")
    held_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class QueueSlotRow(Base):
    """A recurring local time when an account's queue publishes its next post."""

    __tablename__ = "queue_slots"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    tenant: Mapped[str] = mapped_column(String(64))
    brand_id: Mapped[str] = mapped_column(String(64))
    account_id: Mapped[str] = mapped_column(String(64))
    weekday: Mapped[int] = mapped_column(Integer)  # 1 = Monday ... 7 = Sunday
    local_time: Mapped[str] = mapped_column(String(5))  # "HH:MM" in the account's zone


class SavedReplyRow(Base):
    """A brand's ready answer: one text per language, with {{variables}}."""

    __tablename__ = "saved_replies"
    __table_args__ = (Index("ix_saved_replies_tenant_brand", "tenant", "brand_id", "id"),)
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    tenant: Mapped[str] = mapped_column(String(64))
    brand_id: Mapped[str] = mapped_column(String(64))
    subsidiary_id: Mapped[str] = mapped_column(String(64))
    display_name: Mapped[str] = mapped_column(String(200), default="")
    # [{"language": "fr", "text": "Bonjour {{name}}"}, ...]
    variants: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    default_language: Mapped[str] = mapped_column(String(35))
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ReplyTargetRow(Base):
    """A mention in a brand's inbox (from the listener's `inbox.item_opened`): what a reply
    needs to reach it on its network. Only these mentions can be replied to."""

    __tablename__ = "reply_targets"
    tenant: Mapped[str] = mapped_column(String(64), primary_key=True)
    brand_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    mention_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    subsidiary_id: Mapped[str] = mapped_column(String(64))
    network: Mapped[str] = mapped_column(String(16))
    # The at:// URI on Bluesky; the status URL or id on Mastodon.
    external_id: Mapped[str] = mapped_column(String(500))
    url: Mapped[str] = mapped_column(String(500), default="")
    language: Mapped[str] = mapped_column(String(35), default="")
    author_followers: Mapped[int] = mapped_column(BigInteger, default=0)
    # tenants/{t}/brands/{b}/inboxItems/{id}
    inbox_item: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ReplyRow(Base):
    """A reply of a brand's account to a mention; published through a `PublicationRow`."""

    __tablename__ = "replies"
    __table_args__ = (Index("ix_replies_tenant_brand", "tenant", "brand_id", "id"),)
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    tenant: Mapped[str] = mapped_column(String(64))
    brand_id: Mapped[str] = mapped_column(String(64))
    subsidiary_id: Mapped[str] = mapped_column(String(64))
    mention_id: Mapped[str] = mapped_column(String(64))
    inbox_item: Mapped[str] = mapped_column(String(300), default="")
    account_id: Mapped[str] = mapped_column(String(64))
    network: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(35), default="")
    saved_reply_id: Mapped[str] = mapped_column(String(64), default="")
    # pending_approval | queued | published | failed | rejected
    state: Mapped[str] = mapped_column(String(20))
    author: Mapped[str] = mapped_column(String(300))
    # HIGH_REACH | CRISIS | '' (went out without approval)
    approval_reason: Mapped[str] = mapped_column(String(32), default="")
    reviewer: Mapped[str] = mapped_column(String(300), default="")
    review_comment: Mapped[str] = mapped_column(Text, default="")
    publication_id: Mapped[str] = mapped_column(String(64), default="")
    external_id: Mapped[str] = mapped_column(String(500), default="")
    url: Mapped[str] = mapped_column(String(500), default="")
    failure_reason: Mapped[str] = mapped_column(String(1000), default="")
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


RUNTIME_TABLES = add_runtime_tables(Base.metadata)
