"""The replica's columns, mixed into each service's own `known_brands` table."""

from datetime import datetime

from sqlalchemy import JSON, Boolean, DateTime, String
from sqlalchemy.orm import Mapped, mapped_column


class KnownBrandColumns:
    """A brand as the directory's events last described it."""

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


class KnownSubsidiaryColumns:
    """A subsidiary as the directory's events last described it: what a service needs to show
    its figures in the subsidiary's time zone and language."""

    tenant: Mapped[str] = mapped_column(String(64), primary_key=True)
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    display_name: Mapped[str] = mapped_column(String(100))
    # ISO 3166-1 alpha-2.
    country: Mapped[str] = mapped_column(String(2))
    # BCP 47, e.g. "fr-FR".
    locale: Mapped[str] = mapped_column(String(35))
    # IANA, e.g. "Europe/Paris".
    time_zone: Mapped[str] = mapped_column(String(64))
    data_region: Mapped[str] = mapped_column(String(32))
    # The directory's time of the facts held here; older events are ignored.
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
