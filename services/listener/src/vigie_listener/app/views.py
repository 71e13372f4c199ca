"""Rows as the contract's messages (responses and event payloads alike)."""

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from google.protobuf.timestamp_pb2 import Timestamp
from vigie.listener.v1 import listener_pb2 as rpc
from vigie.listener.v1 import resources_pb2 as pb

from vigie_listener.adapters.orm import ListeningQueryRow, MentionRow, SourceRow
from vigie_listener.app.names import BRAND, LISTENING_QUERY, MENTION, SOURCE
from vigie_listener.domain.query_checks import QueryProblem

if TYPE_CHECKING:
    from vigie_listener.app.capture import StoredMention


def stamp(moment: datetime) -> Timestamp:
    result = Timestamp()
    result.FromDatetime(moment if moment.tzinfo else moment.replace(tzinfo=UTC))
    return result


def listening_query(row: ListeningQueryRow) -> pb.ListeningQuery:
    return pb.ListeningQuery(
        name=LISTENING_QUERY.format(row.tenant, row.brand_id, row.id),
        brand=BRAND.format(row.tenant, row.brand_id),
        display_name=row.display_name,
        query=row.query,
        active=row.active,
        languages=row.languages,
        create_time=stamp(row.created_at),
        update_time=stamp(row.updated_at),
        etag=str(row.version),
    )


def problem(found: QueryProblem) -> rpc.QueryProblem:
    return rpc.QueryProblem(
        code=found.code, message=found.message, start=found.start, end=found.end
    )


def _ref(pair: list[str]) -> pb.MentionRef | None:
    return pb.MentionRef(external_id=pair[0], url=pair[1]) if pair else None


def mention(row: "MentionRow | StoredMention") -> pb.Mention:
    return pb.Mention(
        name=MENTION.format(row.tenant, row.brand_id, row.id),
        brand=BRAND.format(row.tenant, row.brand_id),
        source=SOURCE.format(row.tenant, row.source_id),
        source_kind=row.source_kind,  # type: ignore[arg-type]
        external_id=row.external_id,
        url=row.url,
        text=row.text,
        language=row.language,
        author=pb.MentionAuthor(
            handle=row.author_handle,
            display_name=row.author_display_name,
            followers_count=row.author_followers,
            external_id=row.author_external_id,
        ),
        publish_time=stamp(row.publish_time),
        capture_time=stamp(row.capture_time),
        matched_queries=row.matched_queries,
        reply_to=_ref(row.reply_to),
        quote_of=_ref(row.quote_of),
        country=row.country,
    )


_CONFIG_FIELDS = {1: "bluesky", 2: "mastodon", 3: "rss", 4: "partner", 5: "replay"}


def _health(row: SourceRow) -> pb.SourceHealth:
    if not row.enabled:
        state = pb.SOURCE_HEALTH_STATE_DISABLED
    elif row.last_error and (
        row.last_item_at is None or (row.checked_at or row.created_at) > row.last_item_at
    ):
        state = pb.SOURCE_HEALTH_STATE_DEGRADED
    else:
        state = pb.SOURCE_HEALTH_STATE_HEALTHY
    health = pb.SourceHealth(
        state=state, last_error=row.last_error, captured_count=row.captured_count or 0,
        skipped_count=row.skipped_count or 0, error_count=row.error_count or 0,
    )  # fmt: skip
    if row.last_item_at:
        health.last_item_time.CopyFrom(stamp(row.last_item_at))
    if row.checked_at:
        health.check_time.CopyFrom(stamp(row.checked_at))
    return health


def source(row: SourceRow) -> pb.Source:
    message = pb.Source(
        name=SOURCE.format(row.tenant, row.id), display_name=row.display_name,
        kind=row.kind,  # type: ignore[arg-type]
        enabled=row.enabled, health=_health(row), create_time=stamp(row.created_at),
        update_time=stamp(row.updated_at), etag=str(row.version),
    )  # fmt: skip
    config = getattr(message, _CONFIG_FIELDS[row.kind])
    for key, value in row.config.items():
        setattr(config, key, value)
    return message
