"""The capture pipeline every source calls with a batch of items: clean (NFC), detect the
language when the source does not say, match, de-duplicate, store one mention per matched
brand and emit `mention.captured` through the outbox.

It does not commit: the caller commits once per batch, together with what it must keep in
the same transaction (a connector's cursor, a partner's quota).
"""

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from sqlalchemy import Table
from vigie.listener.v1 import events_pb2
from vigie_runtime.ids import new_id
from vigie_runtime.uow import UnitOfWork

from vigie_listener.adapters.language_detector import LanguageDetector
from vigie_listener.adapters.orm import Base, dialect_insert
from vigie_listener.app import engagement, views
from vigie_listener.app.common import now
from vigie_listener.app.events import MENTION_CAPTURED
from vigie_listener.app.live_brands import LiveBrands
from vigie_listener.app.live_matcher import LiveMatcher
from vigie_listener.app.names import BRAND, SUBSIDIARY
from vigie_listener.domain.items import BadItem, SourceItem, clean, url_key
from vigie_listener.domain.query_language import MatchableItem
from vigie_listener.domain.query_language.text import fold

Pair = tuple[str, str]  # (tenant, brand id)
MENTIONS = Table("mentions", Base.metadata)


@dataclass(frozen=True)
class CaptureSource:
    id: str
    kind: int
    # The tenant that owns the source; None for a shared stream matched for every tenant.
    tenant: str | None
    # A network name for `source:` terms ("bluesky", "rss"...).
    network: str


@dataclass(slots=True)
class StoredMention:
    """A mention as inserted: the columns of `MentionRow`, without an ORM instance's cost."""

    id: str
    tenant: str
    brand_id: str
    source_id: str
    source_kind: int
    external_id: str
    url: str
    url_key: str | None
    text: str
    folded_text: str
    language: str
    author_handle: str
    author_display_name: str
    author_followers: int
    author_external_id: str
    reply_to: list[str]
    quote_of: list[str]
    country: str
    matched_queries: list[str]
    publish_time: datetime
    capture_time: datetime


@dataclass
class CaptureResult:
    stored: list["StoredMention"] = field(default_factory=list)
    # Items seen before (same source and id, or the same URL for the brand).
    duplicates: int = 0
    unmatched: int = 0
    # Items that could not be kept, by external id, with their reason.
    refused: list[tuple[str, BadItem]] = field(default_factory=list)
    # Replies, quotes and reposts of the brands' published posts counted for the first time.
    engaged: int = 0


@dataclass(frozen=True)
class _Candidate:
    item: SourceItem
    pair: Pair
    queries: list[str]


class Capture:
    def __init__(
        self, matcher: LiveMatcher, detector: LanguageDetector, max_text_length: int
    ) -> None:
        self.matcher = matcher
        self._detector = detector
        self._max_text_length = max_text_length
        self._brands = LiveBrands()

    async def capture(
        self, uow: UnitOfWork, source: CaptureSource, items: Sequence[SourceItem]
    ) -> CaptureResult:
        await self.matcher.refresh(uow)
        result = CaptureResult()
        candidates: list[_Candidate] = []
        kept: list[SourceItem] = []
        for raw in items:
            try:
                item = clean(raw, self._max_text_length)
            except BadItem as bad:
                result.refused.append((raw.external_id, bad))
                continue
            kept.append(item)
            if item.repost_of is not None:
                continue  # engagement only: no text to match, never a mention
            if not item.language:
                item = replace(item, language=self._detector.detect(item.text))
            found = self._match(source, item)
            if not found:
                result.unmatched += 1
            candidates += [_Candidate(item, pair, names) for pair, names in found.items()]
        result.stored, result.duplicates = await _store(uow, source, candidates, self._brands)
        # Matched or not: a reply to a brand's post need not name the brand (nor can a repost).
        result.engaged = await engagement.count(uow, source.id, source.tenant, kept)
        return result

    def _match(self, source: CaptureSource, item: SourceItem) -> dict[Pair, list[str]]:
        language = item.language
        matchable = MatchableItem(
            item.text,
            language or None,
            item.author.handle or None,
            source.network,
            item.url or None,
        )
        tenants = None if source.tenant is None else (source.tenant,)
        found = self.matcher.match(matchable, language, tenants)
        if item.brand_id is None:
            return {pair: names for pair, names in found.items()}
        # A pushed item is about the brand the partner named, whatever the queries say.
        pair = (str(source.tenant), item.brand_id)
        return {pair: found.get(pair, [])}


def _row(source: CaptureSource, candidate: _Candidate, captured: datetime) -> dict[str, Any]:
    item, (tenant, brand_id) = candidate.item, candidate.pair
    return {
        "id": new_id(), "tenant": tenant, "brand_id": brand_id, "source_id": source.id,
        "source_kind": source.kind, "external_id": item.external_id, "url": item.url,
        "url_key": url_key(item.url), "text": item.text, "folded_text": fold(item.text),
        "language": item.language, "author_handle": item.author.handle,
        "author_display_name": item.author.display_name,
        "author_followers": item.author.followers,
        "author_external_id": item.author.external_id,
        "reply_to": list(item.reply_to or ()), "quote_of": list(item.quote_of or ()),
        "country": item.country, "matched_queries": candidate.queries,
        "publish_time": item.published_at, "capture_time": captured,
    }  # fmt: skip


async def _store(
    uow: UnitOfWork, source: CaptureSource, candidates: list[_Candidate], live_brands: LiveBrands
) -> tuple[list[StoredMention], int]:
    """Inserts the new mentions of live brands in one statement and emits one event each;
    returns them, with how many were duplicates."""
    brands = await live_brands.subsidiaries(uow, {c.pair for c in candidates})
    captured = now()
    values = [_row(source, c, captured) for c in candidates if c.pair in brands]
    if not values:
        return [], 0
    # The unique indexes (same item of a source, same URL, per brand) de-duplicate in the
    # statement itself: within a batch, across batches and between concurrent writers.
    statement = dialect_insert(uow.session, MENTIONS).on_conflict_do_nothing()
    inserted = set(
        (await uow.session.execute(statement.returning(MENTIONS.c.id), values)).scalars()
    )
    rows = [StoredMention(**value) for value in values if value["id"] in inserted]
    for row in rows:
        event = events_pb2.MentionCaptured(
            mention=views.mention(row),
            brand=BRAND.format(row.tenant, row.brand_id),
            subsidiary=SUBSIDIARY.format(row.tenant, brands[(row.tenant, row.brand_id)]),
        )
        uow.emit(MENTION_CAPTURED, row.tenant, event)
    return rows, len(values) - len(rows)
