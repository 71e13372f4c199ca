"""What the other data regions of the group let out, kept read-only for the group view.

Filled only from the hub's group stream (app/region_import.py); never written by this region's
own scoring. No row holds a mention, an author or a person: see docs/DATA_REGIONS.md.
"""

from datetime import datetime

from sqlalchemy import BigInteger, DateTime, Float, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from vigie_reputation.adapters.orm import Base


class RegionMeasureRow(Base):
    """One brand's counts over one minute, counted in another region."""

    __tablename__ = "region_measure_minutes"
    tenant: Mapped[str] = mapped_column(String(64), primary_key=True)
    region: Mapped[str] = mapped_column(String(32), primary_key=True)
    brand_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    minute: Mapped[datetime] = mapped_column(DateTime(timezone=True), primary_key=True)
    subsidiary_id: Mapped[str] = mapped_column(String(64))
    volume: Mapped[int] = mapped_column(Integer)
    positive: Mapped[int] = mapped_column(Integer)
    neutral: Mapped[int] = mapped_column(Integer)
    negative: Mapped[int] = mapped_column(Integer)
    reach: Mapped[int] = mapped_column(BigInteger)
    weight: Mapped[float] = mapped_column(Float)
    weighted_net: Mapped[float] = mapped_column(Float)
    polar_weight: Mapped[float] = mapped_column(Float)
    # The exporting region's time of the counts: an older copy never overwrites a newer one.
    as_of: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class RegionCrisisRow(Base):
    """A crisis of another region, as it may leave it (vigie.reputation.v1.Crisis, reduced)."""

    __tablename__ = "region_crises"
    tenant: Mapped[str] = mapped_column(String(64), primary_key=True)
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    region: Mapped[str] = mapped_column(String(32))
    brand_id: Mapped[str] = mapped_column(String(64))
    subsidiary_id: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16))
    # As in `crises` (watch, minor, major, critical), so the group view sorts both alike.
    severity: Mapped[str] = mapped_column(String(16))
    open_time: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    update_time: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    crisis: Mapped[bytes] = mapped_column(LargeBinary)
