"""The reputation's tables. Every row carries its tenant; every query filters by it."""

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, deferred, mapped_column
from vigie_directory_replica import KnownBrandColumns, KnownSubsidiaryColumns
from vigie_runtime.database import ServiceBase, new_metadata
from vigie_runtime.tables import add_runtime_tables


class Base(ServiceBase):
    __abstract__ = True
    metadata = new_metadata()


class KnownBrandRow(KnownBrandColumns, Base):
    """This service's replica of the directory's brands (see `vigie_directory_replica`)."""

    __tablename__ = "known_brands"


class KnownSubsidiaryRow(KnownSubsidiaryColumns, Base):
    """This service's replica of the directory's subsidiaries: the time zone its measures are
    shown in and the language of its reports."""

    __tablename__ = "known_subsidiaries"


class MentionSentimentRow(Base):
    """A scored mention: what the model said, what a person corrected it to, and the facts the
    measures are split by (kept so a correction can move the same buckets)."""

    __tablename__ = "mention_sentiments"
    tenant: Mapped[str] = mapped_column(String(64), primary_key=True)
    brand_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    mention_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    subsidiary_id: Mapped[str] = mapped_column(String(64))
    language: Mapped[str] = mapped_column(String(16))
    country: Mapped[str] = mapped_column(String(8))
    source: Mapped[str] = mapped_column(String(255))
    author_handle: Mapped[str] = mapped_column(String(255))
    followers: Mapped[int] = mapped_column(BigInteger)
    text: Mapped[str] = mapped_column(Text)
    publish_time: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    label: Mapped[str] = mapped_column(String(16))
    confidence: Mapped[float] = mapped_column(Float)
    model_version: Mapped[str] = mapped_column(String(64))
    score_time: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # A person's correction, kept beside the model's label (evaluation compares the two).
    corrected_label: Mapped[str | None] = mapped_column(String(16), nullable=True)
    corrected_by: Mapped[str | None] = mapped_column(String(255), nullable=True)
    correct_time: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)

    __table_args__ = (
        Index("ix_mention_sentiments_brand_time", "tenant", "brand_id", "publish_time"),
    )


class MeasureBucketRow(Base):
    """Counts of one brand's mentions in one minute for one value of one dimension.

    Minutes are the only stored grain: hours and days (in any time zone) are sums of minutes.
    """

    __tablename__ = "measure_buckets"
    tenant: Mapped[str] = mapped_column(String(64), primary_key=True)
    brand_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    dimension: Mapped[str] = mapped_column(String(16), primary_key=True)
    value: Mapped[str] = mapped_column(String(255), primary_key=True)
    minute: Mapped[datetime] = mapped_column(DateTime(timezone=True), primary_key=True)
    volume: Mapped[int] = mapped_column(Integer, default=0)
    positive: Mapped[int] = mapped_column(Integer, default=0)
    neutral: Mapped[int] = mapped_column(Integer, default=0)
    negative: Mapped[int] = mapped_column(Integer, default=0)
    reach: Mapped[int] = mapped_column(BigInteger, default=0)
    # Sums of log(1 + followers): over all mentions, times the label's sign (+1 / 0 / -1), and
    # over the positive and negative ones (what can move the index, see domain/index.py).
    weight: Mapped[float] = mapped_column(Float, default=0.0)
    weighted_net: Mapped[float] = mapped_column(Float, default=0.0)
    polar_weight: Mapped[float] = mapped_column(Float, default=0.0)


class CrisisWatchRow(Base):
    """One brand under crisis watch: the 5-minute bucket being counted, and the detector's
    memory (`CrisisState.to_dict()`), read only when a bucket closes or a check runs."""

    __tablename__ = "crisis_watches"
    tenant: Mapped[str] = mapped_column(String(64), primary_key=True)
    brand_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    subsidiary_id: Mapped[str] = mapped_column(String(64))
    bucket_start: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    bucket_total: Mapped[int] = mapped_column(Integer, default=0)
    bucket_negative: Mapped[int] = mapped_column(Integer, default=0)
    # The bucket total at the last early check (checks run at geometric steps of the count).
    checked_total: Mapped[int] = mapped_column(Integer, default=0)
    # The crisis currently open for this brand, if any.
    crisis_id: Mapped[str | None] = mapped_column(String(40), nullable=True)
    # The index last announced by `index.updated` (None before the first announcement).
    index_value: Mapped[float | None] = mapped_column(Float, nullable=True)
    state: Mapped[dict[str, Any] | None] = deferred(mapped_column(JSON, nullable=True))


class CrisisRow(Base):
    __tablename__ = "crises"
    tenant: Mapped[str] = mapped_column(String(64), primary_key=True)
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    brand_id: Mapped[str] = mapped_column(String(64))
    subsidiary_id: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16))  # opened, escalated, resolved
    severity: Mapped[str] = mapped_column(String(16))  # watch, minor, major, critical
    open_time: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    escalate_time: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    resolve_time: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    # CrisisExplanation as JSON (protobuf's JSON mapping).
    explanation: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    update_time: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    __table_args__ = (
        Index("ix_crises_tenant_open", "tenant", "open_time"),
        # A brand's newest crises of some statuses (the dashboard's list): read in id order
        # within the brand, the status judged from the index, not the tenant's every crisis.
        Index("ix_crises_brand_newest", "tenant", "brand_id", "id", "status"),
    )


class WebhookRow(Base):
    __tablename__ = "webhooks"
    tenant: Mapped[str] = mapped_column(String(64), primary_key=True)
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    display_name: Mapped[str] = mapped_column(String(100))
    url: Mapped[str] = mapped_column(String(2048))
    # The signing secret sealed with the webhook keys (adapters/secret_box.py).
    secret: Mapped[str] = mapped_column(String(1024))
    # Empty for a group-wide webhook.
    subsidiary_id: Mapped[str] = mapped_column(String(64))
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    create_time: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    update_time: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class WebhookDeliveryRow(Base):
    """One event for one webhook, with its attempts: the delivery log and the retry queue."""

    __tablename__ = "webhook_deliveries"
    tenant: Mapped[str] = mapped_column(String(64), primary_key=True)
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    webhook_id: Mapped[str] = mapped_column(String(40), index=True)
    event_id: Mapped[str] = mapped_column(String(64))
    event_type: Mapped[str] = mapped_column(String(255))
    body: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(16))  # pending, delivered, failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_status_code: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(String(1000), default="")
    create_time: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    deliver_time: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    next_attempt_time: Mapped[datetime | None] = mapped_column(
        DateTime(timezone=True), nullable=True, index=True
    )


class AlertRuleRow(Base):
    """Who to tell, and when (see domain/alerts.py for when a rule fires)."""

    __tablename__ = "alert_rules"
    tenant: Mapped[str] = mapped_column(String(64), primary_key=True)
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    display_name: Mapped[str] = mapped_column(String(100))
    # Brand ids; empty for every brand of the tenant (or of `subsidiary_id`).
    brand_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    subsidiary_id: Mapped[str] = mapped_column(String(64), default="")
    # AlertTrigger numbers.
    triggers: Mapped[list[int]] = mapped_column(JSON, default=list)
    min_severity: Mapped[int] = mapped_column(Integer, default=0)
    index_threshold: Mapped[float] = mapped_column(Float, default=0.0)
    negative_share_threshold: Mapped[float] = mapped_column(Float, default=0.0)
    volume_threshold: Mapped[int] = mapped_column(BigInteger, default=0)
    window_minutes: Mapped[int] = mapped_column(Integer)
    cooldown_minutes: Mapped[int] = mapped_column(Integer)
    webhook_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    create_time: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    update_time: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class AlertMemoryRow(Base):
    """One rule's memory for one brand and trigger: armed or waiting to re-arm, last firing."""

    __tablename__ = "alert_memories"
    tenant: Mapped[str] = mapped_column(String(64), primary_key=True)
    rule_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    brand_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    trigger: Mapped[int] = mapped_column(Integer, primary_key=True)
    armed: Mapped[bool] = mapped_column(Boolean, default=True)
    last_fire_time: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class BestTimeAccountRow(Base):
    """An owned social account as the best-time learner knows it (from `account.snapshotted`),
    and whether its history changed since its best times were last computed."""

    __tablename__ = "best_time_accounts"
    tenant: Mapped[str] = mapped_column(String(64), primary_key=True)
    brand_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    account_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    subsidiary_id: Mapped[str] = mapped_column(String(64))
    network: Mapped[int] = mapped_column(Integer)  # vigie.publisher.v1.Network
    handle: Mapped[str] = mapped_column(String(255))
    # IANA zone the slots are read in: the account's schedule's, else its subsidiary's (from
    # the directory replica), else empty (read as UTC).
    time_zone: Mapped[str] = mapped_column(String(64))
    snapshot_time: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    stale: Mapped[bool] = mapped_column(Boolean, default=True)
    compute_time: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)

    __table_args__ = (
        # The network and time-zone aggregate reads every account of one network and zone.
        Index("ix_best_time_accounts_network_zone", "network", "time_zone"),
        Index("ix_best_time_accounts_due", "stale", "compute_time"),
    )


class BestTimePostRow(Base):
    """One post of an owned account with the latest engagement read for it."""

    __tablename__ = "best_time_posts"
    tenant: Mapped[str] = mapped_column(String(64), primary_key=True)
    brand_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    account_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    uri: Mapped[str] = mapped_column(String(512), primary_key=True)
    publish_time: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    interactions: Mapped[int] = mapped_column(BigInteger)  # likes + reposts + replies + quotes
    impressions: Mapped[int] = mapped_column(BigInteger)  # -1 when unknown
    followers: Mapped[int] = mapped_column(BigInteger)  # the account's, at that reading
    snapshot_time: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    __table_args__ = (
        Index(
            "ix_best_time_posts_account_time", "tenant", "brand_id", "account_id", "publish_time"
        ),
    )


class BestTimesRow(Base):
    """An account's last learned best times: a score per slot of the week and how it was got."""

    __tablename__ = "best_times"
    tenant: Mapped[str] = mapped_column(String(64), primary_key=True)
    brand_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    account_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    time_zone: Mapped[str] = mapped_column(String(64))  # the zone the slots are read in
    # 2,016 scores, Monday 00:00 first (1.0 = the account's mean engagement).
    scores: Mapped[list[float]] = mapped_column(JSON)
    basis: Mapped[str] = mapped_column(String(32))
    posts_used: Mapped[int] = mapped_column(Integer)
    aggregate_posts_used: Mapped[int] = mapped_column(Integer)
    explanation: Mapped[list[str]] = mapped_column(JSON)
    compute_time: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class CampaignResultRow(Base):
    """The partnerships' last announced results of a campaign (`campaign.results_updated`), for
    reports: the newest compute_time wins, so a late or replayed event changes nothing."""

    __tablename__ = "campaign_results"
    tenant: Mapped[str] = mapped_column(String(64), primary_key=True)
    campaign_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    display_name: Mapped[str] = mapped_column(String(200))
    brand_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    subsidiary_id: Mapped[str] = mapped_column(String(64), default="")
    # CampaignResults as JSON (protobuf's JSON mapping).
    results: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    compute_time: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ReportScheduleRow(Base):
    """A report made again each period (domain/reports/periods.py); `next_run_time` is stored
    so a restart neither repeats nor skips a period."""

    __tablename__ = "report_schedules"
    tenant: Mapped[str] = mapped_column(String(64), primary_key=True)
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    display_name: Mapped[str] = mapped_column(String(100))
    # Exactly one of the two is set.
    brand_id: Mapped[str] = mapped_column(String(64), default="")
    subsidiary_id: Mapped[str] = mapped_column(String(64), default="")
    cadence: Mapped[str] = mapped_column(String(16))  # weekly, monthly
    send_time: Mapped[str] = mapped_column(String(5))  # HH:MM, local
    format: Mapped[str] = mapped_column(String(8))  # pdf, csv
    delivery: Mapped[str] = mapped_column(String(16))  # stored, webhook
    webhook_id: Mapped[str] = mapped_column(String(40), default="")
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    next_run_time: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    last_period_end: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    create_time: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    update_time: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ReportRow(Base):
    """One report: queued (pending), rendered (ready, with its bytes) or failed."""

    __tablename__ = "reports"
    tenant: Mapped[str] = mapped_column(String(64), primary_key=True)
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    brand_id: Mapped[str] = mapped_column(String(64), default="")
    subsidiary_id: Mapped[str] = mapped_column(String(64), default="")
    start_time: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    end_time: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    format: Mapped[str] = mapped_column(String(8))
    state: Mapped[str] = mapped_column(String(16))  # pending, ready, failed
    failure_reason: Mapped[str] = mapped_column(String(1000), default="")
    language: Mapped[str] = mapped_column(String(16), default="")
    schedule_id: Mapped[str] = mapped_column(String(40), default="")
    # Where a scheduled report is posted once ready ("" for stored only).
    webhook_id: Mapped[str] = mapped_column(String(40), default="")
    size_bytes: Mapped[int] = mapped_column(BigInteger, default=0)
    content_type: Mapped[str] = mapped_column(String(64), default="")
    filename: Mapped[str] = mapped_column(String(255), default="")
    sha256: Mapped[str] = mapped_column(String(64), default="")
    # The crisis whose room is exported (ExportCrisisRoom); "" for other reports.
    crisis_id: Mapped[str] = mapped_column(String(40), default="", server_default="")
    # Read only by DownloadReport and the webhook delivery, never by listings.
    content: Mapped[bytes | None] = deferred(mapped_column(LargeBinary, nullable=True))
    create_time: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    ready_time: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)

    __table_args__ = (
        Index("ix_reports_pending", "state", "create_time"),
        # ListReports by create_time: reports pile up, one per schedule and period.
        Index("ix_reports_tenant_created", "tenant", "create_time", "id"),
    )


class PresenceAccountRow(Base):
    """An owned or tracked account as its last `account.snapshotted` described it."""

    __tablename__ = "presence_accounts"
    tenant: Mapped[str] = mapped_column(String(64), primary_key=True)
    # tenants/{t}/brands/{b}/socialAccounts/{id} or .../trackedAccounts/{id}
    account: Mapped[str] = mapped_column(String(255), primary_key=True)
    brand_id: Mapped[str] = mapped_column(String(64))
    subsidiary_id: Mapped[str] = mapped_column(String(64))
    network: Mapped[int] = mapped_column(Integer)  # vigie.publisher.v1.Network
    handle: Mapped[str] = mapped_column(String(255))
    owned: Mapped[bool] = mapped_column(Boolean)
    time_zone: Mapped[str] = mapped_column(String(64))  # the account's schedule's; may be empty
    # The zone its day roll-ups are counted in (the subsidiary's, else the account's, else UTC).
    rollup_zone: Mapped[str] = mapped_column(String(64))
    last_snapshot_time: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    __table_args__ = (Index("ix_presence_accounts_brand", "tenant", "brand_id"),)


class PresenceSnapshotRow(Base):
    """An account's counters in one 5-minute bucket (the bucket's latest snapshot); kept for
    the raw retention, then pruned (the day roll-ups stay)."""

    __tablename__ = "presence_snapshots"
    tenant: Mapped[str] = mapped_column(String(64), primary_key=True)
    account: Mapped[str] = mapped_column(String(255), primary_key=True)
    bucket: Mapped[datetime] = mapped_column(DateTime(timezone=True), primary_key=True)
    snapshot_time: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    followers: Mapped[int] = mapped_column(BigInteger)
    following: Mapped[int] = mapped_column(BigInteger)
    posts: Mapped[int] = mapped_column(BigInteger)


class PresenceDayRow(Base):
    """An account's first and last counters of one local day (in `rollup_zone`), kept as
    snapshots arrive so windows of months and years read one row per account and day."""

    __tablename__ = "presence_days"
    tenant: Mapped[str] = mapped_column(String(64), primary_key=True)
    account: Mapped[str] = mapped_column(String(255), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    zone: Mapped[str] = mapped_column(String(64))
    first_time: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    first_followers: Mapped[int] = mapped_column(BigInteger)
    first_following: Mapped[int] = mapped_column(BigInteger)
    first_posts: Mapped[int] = mapped_column(BigInteger)
    last_time: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_followers: Mapped[int] = mapped_column(BigInteger)
    last_following: Mapped[int] = mapped_column(BigInteger)
    last_posts: Mapped[int] = mapped_column(BigInteger)


class PresencePostRow(Base):
    """One post of an account with the latest engagement a snapshot reported for it."""

    __tablename__ = "presence_posts"
    tenant: Mapped[str] = mapped_column(String(64), primary_key=True)
    account: Mapped[str] = mapped_column(String(255), primary_key=True)
    uri: Mapped[str] = mapped_column(String(512), primary_key=True)
    brand_id: Mapped[str] = mapped_column(String(64))
    url: Mapped[str] = mapped_column(String(1024))
    text: Mapped[str] = mapped_column(Text)
    create_time: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    likes: Mapped[int] = mapped_column(BigInteger)
    reposts: Mapped[int] = mapped_column(BigInteger)
    replies: Mapped[int] = mapped_column(BigInteger)
    quotes: Mapped[int] = mapped_column(BigInteger)
    impressions: Mapped[int] = mapped_column(BigInteger)  # -1 when unknown
    reply_to_uri: Mapped[str] = mapped_column(String(512))
    # The account's followers at the first snapshot that saw the post (its rate's base).
    followers_at_post: Mapped[int] = mapped_column(BigInteger)
    snapshot_time: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    __table_args__ = (
        Index("ix_presence_posts_brand_time", "tenant", "brand_id", "create_time"),
        Index("ix_presence_posts_reply_to", "tenant", "reply_to_uri"),
        # The partial days at a window's edges read an account's posts by time.
        Index("ix_presence_posts_account_time", "tenant", "account", "create_time"),
    )


class PresencePostDayRow(Base):
    """The posts an account created on one local day (in its `rollup_zone`) and their latest
    engagement, summed: recomputed from the day's post rows whenever one changes, so a replayed
    or newer reading replaces a post's figures and never adds them twice. Whole days of a
    window are read here, one row per account and day, not one per post."""

    __tablename__ = "presence_post_days"
    tenant: Mapped[str] = mapped_column(String(64), primary_key=True)
    account: Mapped[str] = mapped_column(String(255), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    zone: Mapped[str] = mapped_column(String(64))
    posts: Mapped[int] = mapped_column(Integer)
    engagements: Mapped[int] = mapped_column(BigInteger)
    # Impressions where the network reports them, else followers when first seen.
    reach: Mapped[int] = mapped_column(BigInteger)
    # Posts whose reach is potential reach (no impressions reported).
    potential_reach_posts: Mapped[int] = mapped_column(Integer)
    # The sum of the posts' engagement rates (the window's rate is their mean).
    rate_sum: Mapped[float] = mapped_column(Float)


class QuestionMentionRow(Base):
    """A mention that asked the brand a question (domain/presence/questions.py)."""

    __tablename__ = "question_mentions"
    tenant: Mapped[str] = mapped_column(String(64), primary_key=True)
    brand_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    mention_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    # The network's id of the mention (an at:// URI on Bluesky): what a reply points to.
    uri: Mapped[str] = mapped_column(String(512))
    publish_time: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    __table_args__ = (
        Index("ix_question_mentions_brand_time", "tenant", "brand_id", "publish_time"),
    )


class PlaybookRow(Base):
    """What to do when a crisis opens on a brand: of the brand itself (`scope` "brand") or, as the
    fallback, of its subsidiary (`scope` "subsidiary")."""

    __tablename__ = "playbooks"
    tenant: Mapped[str] = mapped_column(String(64), primary_key=True)
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    scope: Mapped[str] = mapped_column(String(16))
    scope_id: Mapped[str] = mapped_column(String(64))
    display_name: Mapped[str] = mapped_column(String(200))
    # [{"member"|"webhook": name, "delay_seconds": n}] in order.
    alert_steps: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    # [{"language": "fr", "text": "..."}]
    holding_statements: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    queue_hold: Mapped[str] = mapped_column(String(24))  # hold, keep_publishing
    version: Mapped[int] = mapped_column(Integer)
    create_time: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    update_time: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    __table_args__ = (Index("ix_playbooks_scope", "tenant", "scope", "scope_id", "id"),)


class CrisisRoomRow(Base):
    """A crisis's response: the playbook applied (as it was), the posts it held. One per crisis,
    written when the crisis opens, so applying a playbook twice finds it and does nothing."""

    __tablename__ = "crisis_rooms"
    tenant: Mapped[str] = mapped_column(String(64), primary_key=True)
    crisis_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    brand_id: Mapped[str] = mapped_column(String(64))
    subsidiary_id: Mapped[str] = mapped_column(String(64))
    # The Playbook proto as JSON; {} when the brand had none.
    playbook: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    held_posts: Mapped[list[str]] = mapped_column(JSON, default=list)
    open_time: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class CrisisStatementRow(Base):
    __tablename__ = "crisis_statements"
    tenant: Mapped[str] = mapped_column(String(64), primary_key=True)
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    crisis_id: Mapped[str] = mapped_column(String(40))
    brand_id: Mapped[str] = mapped_column(String(64))
    language: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(16))  # proposed, approved, published
    social_accounts: Mapped[list[str]] = mapped_column(JSON, default=list)
    approver: Mapped[str] = mapped_column(String(255), default="")
    posts: Mapped[list[str]] = mapped_column(JSON, default=list)
    propose_time: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    approve_time: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    publish_time: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)

    __table_args__ = (Index("ix_crisis_statements_crisis", "tenant", "crisis_id", "id"),)


class CrisisNotificationRow(Base):
    """One alert step of a crisis's playbook; a loop sends it once its due time has come."""

    __tablename__ = "crisis_notifications"
    tenant: Mapped[str] = mapped_column(String(64), primary_key=True)
    crisis_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    step: Mapped[int] = mapped_column(Integer, primary_key=True)
    brand_id: Mapped[str] = mapped_column(String(64))
    subsidiary_id: Mapped[str] = mapped_column(String(64))
    member: Mapped[str] = mapped_column(String(255))
    webhook_id: Mapped[str] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(16))  # pending, sent
    due_time: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    send_time: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)

    __table_args__ = (Index("ix_crisis_notifications_due", "state", "due_time"),)


class CrisisTimelineRow(Base):
    __tablename__ = "crisis_timeline"
    tenant: Mapped[str] = mapped_column(String(64), primary_key=True)
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    crisis_id: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(32))
    time: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    summary: Mapped[str] = mapped_column(Text)
    subject: Mapped[str] = mapped_column(String(512))
    actor: Mapped[str] = mapped_column(String(255))

    __table_args__ = (Index("ix_crisis_timeline_crisis", "tenant", "crisis_id", "id"),)


RUNTIME_TABLES = add_runtime_tables(Base.metadata)

# The other data regions' aggregates (their own module), in the same metadata.
from vigie_reputation.adapters import region_orm  # noqa: E402, F401
