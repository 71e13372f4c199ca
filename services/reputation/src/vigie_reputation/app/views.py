"""Rows -> protos, one place for every entrypoint and event."""

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from google.protobuf.timestamp_pb2 import Timestamp
from sqlalchemy import case
from vigie.reputation.v1 import events_pb2
from vigie.reputation.v1 import resources_pb2 as pb
from vigie_runtime.ordering import Derived

from vigie_reputation.adapters.orm import MentionSentimentRow

LABELS = {
    "positive": pb.SENTIMENT_LABEL_POSITIVE,
    "neutral": pb.SENTIMENT_LABEL_NEUTRAL,
    "negative": pb.SENTIMENT_LABEL_NEGATIVE,
}
LABEL_NAMES = {value: name for name, value in LABELS.items()}


def by_number(column: Any, numbers: Mapping[str, int]) -> Derived:
    """A list order on a column of enum names (a severity, a state) by their numbers in the
    API, which follow the enum's meaning where the names' alphabet does not."""
    expression = case(dict(numbers), value=column, else_=0)
    return Derived(column, expression, lambda name: numbers.get(name, 0))


def utc(moment: datetime) -> datetime:
    # SQLite gives back naive datetimes; everything stored is UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def stamp(moment: datetime | None) -> Timestamp | None:
    if moment is None:
        return None
    result = Timestamp()
    result.FromDatetime(utc(moment))
    return result


def brand_name(tenant: str, brand_id: str) -> str:
    return f"tenants/{tenant}/brands/{brand_id}"


def mention_name(row: MentionSentimentRow) -> str:
    return f"{brand_name(row.tenant, row.brand_id)}/mentions/{row.mention_id}"


def sentiment(row: MentionSentimentRow) -> pb.MentionSentiment:
    return pb.MentionSentiment(
        name=f"{mention_name(row)}/sentiment",
        mention=mention_name(row),
        label=LABELS[row.label],
        confidence=row.confidence,
        model_version=row.model_version,
        corrected_label=LABELS.get(row.corrected_label or "", pb.SENTIMENT_LABEL_UNSPECIFIED),
        corrected_by=row.corrected_by or "",
        correct_time=stamp(row.correct_time),
        score_time=stamp(row.score_time),
    )


def mention_scored(row: MentionSentimentRow) -> events_pb2.MentionScored:
    return events_pb2.MentionScored(
        sentiment=sentiment(row),
        brand=brand_name(row.tenant, row.brand_id),
        subsidiary=f"tenants/{row.tenant}/subsidiaries/{row.subsidiary_id}",
    )
