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
