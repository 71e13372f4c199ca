"""The partnerships's tables. Every row carries its tenant; every query filters by it."""

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
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


class CreatorRow(Base):
    """One person, whatever their networks. The `*_text` columns hold `|a|b|` so that a
    `LIKE '%|a|%'` filters on a list the same way on SQLite and PostgreSQL."""

    __tablename__ = "creators"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    tenant: Mapped[str] = mapped_column(String(64), index=True)
    display_name: Mapped[str] = mapped_column(String(200))
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    countries: Mapped[list[str]] = mapped_column(JSON, default=list)
    topics: Mapped[list[str]] = mapped_column(JSON, default=list)
    languages_text: Mapped[str] = mapped_column(Text, default="|")
    countries_text: Mapped[str] = mapped_column(Text, default="|")
    topics_text: Mapped[str] = mapped_column(Text, default="|")
    # Lower-cased display name, handles and topics, for the free-text query.
    search_text: Mapped[str] = mapped_column(Text, default="")
    # "import" or "discovery": how the creator first came in.
    origin: Mapped[str] = mapped_column(String(16))
    # Of the account with the most followers; kept up to date for search and sort.
    followers: Mapped[int] = mapped_column(BigInteger, default=0)
    engagement_rate: Mapped[float] = mapped_column(Float, default=0.0)
    authenticity: Mapped[float] = mapped_column(Float, default=0.0)
    overall: Mapped[float] = mapped_column(Float, default=0.0)
    version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    __table_args__ = (
        Index("ix_creators_tenant_followers", "tenant", "followers", "id"),
        Index("ix_creators_tenant_engagement_rate", "tenant", "engagement_rate", "id"),
        Index("ix_creators_tenant_authenticity", "tenant", "authenticity", "id"),
        Index("ix_creators_tenant_overall", "tenant", "overall", "id"),
    )


class CreatorAccountRow(Base):
    """A creator's account on one network; (tenant, network, network_id) identifies it."""

    __tablename__ = "creator_accounts"
    tenant: Mapped[str] = mapped_column(String(64), primary_key=True)
    network: Mapped[str] = mapped_column(String(32), primary_key=True)
    network_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    creator_id: Mapped[str] = mapped_column(String(40), index=True)
    handle: Mapped[str] = mapped_column(String(200))
    followers: Mapped[int] = mapped_column(BigInteger, default=0)
    following: Mapped[int] = mapped_column(BigInteger, default=0)
    posts: Mapped[int] = mapped_column(BigInteger, default=0)
    profile_url: Mapped[str] = mapped_column(String(500), default="")
    opened_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    mean_engagements_per_post: Mapped[float] = mapped_column(Float, default=0.0)


class CreatorSnapshotRow(Base):
    """A creator's accounts and figures at one moment: their growth over time."""

    __tablename__ = "creator_snapshots"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    tenant: Mapped[str] = mapped_column(String(64))
    creator_id: Mapped[str] = mapped_column(String(40))
    accounts: Mapped[list[dict[str, object]]] = mapped_column(JSON, default=list)
    followers: Mapped[int] = mapped_column(BigInteger, default=0)
    mean_engagements_per_post: Mapped[float] = mapped_column(Float, default=0.0)
    posts_sampled: Mapped[int] = mapped_column(Integer, default=0)
    captured_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    __table_args__ = (Index("ix_creator_snapshots_creator", "tenant", "creator_id", "id"),)


class CreatorMentionRow(Base):
    """A mention the listener captured whose author is a known creator."""

    __tablename__ = "creator_mentions"
    tenant: Mapped[str] = mapped_column(String(64), primary_key=True)
    # The listener's resource name of the mention.
    mention: Mapped[str] = mapped_column(String(512), primary_key=True)
    creator_id: Mapped[str] = mapped_column(String(40))
    brand_id: Mapped[str] = mapped_column(String(64))
    network: Mapped[str] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(Text)
    url: Mapped[str] = mapped_column(String(1000), default="")
    reach: Mapped[int] = mapped_column(BigInteger, default=0)
    published_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    __table_args__ = (Index("ix_creator_mentions_creator", "tenant", "creator_id", "brand_id"),)


class MentionSentimentRow(Base):
    """The reputation service's sentiment of a mention (it may arrive before the mention)."""

    __tablename__ = "mention_sentiments"
    tenant: Mapped[str] = mapped_column(String(64), primary_key=True)
    mention: Mapped[str] = mapped_column(String(512), primary_key=True)
    # "positive", "neutral", "negative" or "mixed".
    label: Mapped[str] = mapped_column(String(16))
    scored_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class CampaignRow(Base):
    """A campaign. Amounts are decimal strings: exact on every database."""

    __tablename__ = "campaigns"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    tenant: Mapped[str] = mapped_column(String(64), index=True)
    display_name: Mapped[str] = mapped_column(String(200))
    brief: Mapped[str] = mapped_column(Text, default="")
    # Brand ids of this tenant.
    brands: Mapped[list[str]] = mapped_column(JSON, default=list)
    start_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    end_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    budget_amount: Mapped[str] = mapped_column(String(40))
    currency: Mapped[str] = mapped_column(String(3))
    # [{"metric": "reach", "target": "100000"}]
    goals: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ContractRow(Base):
    __tablename__ = "contracts"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    tenant: Mapped[str] = mapped_column(String(64))
    campaign_id: Mapped[str] = mapped_column(String(40))
    creator_id: Mapped[str] = mapped_column(String(40))
    fee_amount: Mapped[str] = mapped_column(String(40))
    currency: Mapped[str] = mapped_column(String(3))
    payment_terms: Mapped[str] = mapped_column(Text, default="")
    usage_rights_end_at: Mapped[datetime | None] = mapped_column(
        DateTime(timezone=True), nullable=True
    )
    # domain.contracts.Status values.
    status: Mapped[str] = mapped_column(String(16))
    signed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    __table_args__ = (
        Index("ix_contracts_campaign", "tenant", "campaign_id", "id"),
        Index("ix_contracts_creator", "tenant", "creator_id", "status"),
    )


class DeliverableRow(Base):
    __tablename__ = "deliverables"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    tenant: Mapped[str] = mapped_column(String(64))
    campaign_id: Mapped[str] = mapped_column(String(40))
    contract_id: Mapped[str] = mapped_column(String(40), index=True)
    network: Mapped[str] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(16))
    count: Mapped[int] = mapped_column(Integer)
    due_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    hashtags: Mapped[list[str]] = mapped_column(JSON, default=list)
    mentions: Mapped[list[str]] = mapped_column(JSON, default=list)
    links: Mapped[list[str]] = mapped_column(JSON, default=list)
    codes: Mapped[list[str]] = mapped_column(JSON, default=list)
    disclosure: Mapped[str] = mapped_column(String(64), default="")
    # "pending", "fulfilled" or "missed".
    status: Mapped[str] = mapped_column(String(16))
    fulfilled_count: Mapped[int] = mapped_column(Integer, default=0)
    matched: Mapped[list[str]] = mapped_column(JSON, default=list)
    fulfilled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    disclosure_missing: Mapped[bool] = mapped_column(Boolean, default=False)

    __table_args__ = (Index("ix_deliverables_due", "status", "due_at"),)


class ContractChangeRow(Base):
    """The audit trail: every change of a contract's status, who made it and why."""

    __tablename__ = "contract_changes"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    tenant: Mapped[str] = mapped_column(String(64))
    contract_id: Mapped[str] = mapped_column(String(40), index=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    actor: Mapped[str] = mapped_column(String(200))
    from_status: Mapped[str] = mapped_column(String(16))
    to_status: Mapped[str] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text, default="")


class TrackingCodeRow(Base):
    """A coupon or tracked link of one contract; its code is unique per tenant, without case."""

    __tablename__ = "tracking_codes"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    tenant: Mapped[str] = mapped_column(String(64))
    campaign_id: Mapped[str] = mapped_column(String(40))
    contract_id: Mapped[str] = mapped_column(String(40))
    code: Mapped[str] = mapped_column(String(40))
    code_key: Mapped[str] = mapped_column(String(40))
    # "coupon" or "link".
    kind: Mapped[str] = mapped_column(String(8))
    destination_url: Mapped[str] = mapped_column(String(2000), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    __table_args__ = (UniqueConstraint("tenant", "code_key", name="uq_tracking_codes_code"),)


class ConversionRow(Base):
    """A sale attributed to a tracking code; an order id is reported once per tenant."""

    __tablename__ = "conversions"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    tenant: Mapped[str] = mapped_column(String(64))
    campaign_id: Mapped[str] = mapped_column(String(40))
    tracking_code_id: Mapped[str] = mapped_column(String(40))
    code: Mapped[str] = mapped_column(String(40))
    order_id: Mapped[str] = mapped_column(String(128))
    revenue_amount: Mapped[str] = mapped_column(String(40))
    currency: Mapped[str] = mapped_column(String(3))
    occur_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    report_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    __table_args__ = (
        UniqueConstraint("tenant", "order_id", name="uq_conversions_order"),
        Index("ix_conversions_campaign", "tenant", "campaign_id"),
    )


class BrandSafetyKeywordsRow(Base):
    """A brand's own list of unsafe keywords; a brand without one uses the defaults."""

    __tablename__ = "brand_safety_keywords"
    tenant: Mapped[str] = mapped_column(String(64), primary_key=True)
    # The brand's id.
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    keywords: Mapped[list[str]] = mapped_column(JSON, default=list)
    version: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class FxRateRow(Base):
    """What one unit of `base` was worth in `quote` from `effective_date` on. The id,
    `{base}-{quote}-{yyyy-mm-dd}`, sorts a pair's rates by day; the rate is a decimal string."""

    __tablename__ = "fx_rates"
    tenant: Mapped[str] = mapped_column(String(64), primary_key=True)
    id: Mapped[str] = mapped_column(String(20), primary_key=True)
    base: Mapped[str] = mapped_column(String(3))
    quote: Mapped[str] = mapped_column(String(3))
    effective_date: Mapped[date] = mapped_column(Date)
    rate: Mapped[str] = mapped_column(String(40))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


RUNTIME_TABLES = add_runtime_tables(Base.metadata)
