"""Scoring a captured mention: its sentiment stored, counted in the measures, announced.

Runs inside the consumer's transaction, with the inbox row: a redelivered event is skipped by
the inbox, and a mention captured twice under two event ids is skipped here, so nothing counts
twice.
"""

from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import select, tuple_
from vigie_runtime.uow import UnitOfWork

from vigie_reputation.adapters.measure_store import add_to_buckets_at_commit
from vigie_reputation.adapters.orm import MentionSentimentRow
from vigie_reputation.app import crisis_watch, views
from vigie_reputation.app.events import MENTION_SCORED
from vigie_reputation.app.scorer import Scorer
from vigie_reputation.domain.crisis import CrisisParams
from vigie_reputation.domain.measures import (
    MentionFacts,
    contribution,
    dimension_values,
    minute_of,
)

MAX_STORED_TEXT = 1000
MentionKey = tuple[str, str, str]


async def remember_scored(uow: UnitOfWork, keys: Sequence[MentionKey]) -> None:
    """Finds which of a batch's mentions were scored before, and reads their brands' crisis
    watches (unless they are counted at the batch's end), one query each, so `score_mention`
    asks nothing of the database per mention."""
    t = MentionSentimentRow
    found: set[MentionKey] = set()
    unique = list(dict.fromkeys(keys))
    for start in range(0, len(unique), 500):  # bounded statements on any database
        chunk = unique[start : start + 500]
        query = select(t.tenant, t.brand_id, t.mention_id).where(
            tuple_(t.tenant, t.brand_id, t.mention_id).in_(chunk)
        )
        found.update((a, b, c) for a, b, c in await uow.session.execute(query))
    uow.session.info["scored_before"] = found
    if not crisis_watch.counting_at_batch_end(uow):
        await crisis_watch.load_watches(uow, [(tenant, brand) for tenant, brand, _ in unique])


async def score_mention(
    uow: UnitOfWork, scorer: Scorer, params: CrisisParams, facts: MentionFacts
) -> bool:
    """Scores, stores and counts one mention; False when it was already scored."""
    key = (facts.tenant, facts.brand_id, facts.mention_id)
    # Rows added in this batch are not flushed yet (no autoflush): they are remembered here,
    # with those found scored before by `remember_scored` (one query for the whole batch).
    scored: set[MentionKey] = uow.session.info.setdefault("scored_mentions", set())
    known: set[MentionKey] | None = uow.session.info.get("scored_before")
    if key in scored or (known is not None and key in known):
        return False
    if known is None and await uow.session.get(MentionSentimentRow, key) is not None:
        return False
    scored.add(key)
    sentiment = await scorer.score(facts.text, facts.language)
    row = MentionSentimentRow(
        tenant=facts.tenant,
        brand_id=facts.brand_id,
        mention_id=facts.mention_id,
        subsidiary_id=facts.subsidiary_id,
        language=facts.language.lower(),
        country=facts.country.upper(),
        source=facts.source,
        author_handle=facts.author_handle,
        followers=max(facts.followers, 0),
        text=facts.text[:MAX_STORED_TEXT],
        publish_time=facts.publish_time,
        label=sentiment.label,
        confidence=float(sentiment.confidence),
        model_version=scorer.version,
        score_time=datetime.now(UTC),
    )
    uow.session.add(row)
    add_to_buckets_at_commit(
        uow.session,
        facts.tenant,
        facts.brand_id,
        minute_of(facts.publish_time),
        dimension_values(facts),
        contribution(sentiment.label, row.followers),
    )
    uow.emit(MENTION_SCORED, facts.tenant, views.mention_scored(row))
    await crisis_watch.count_mention(uow, params, facts, sentiment.label)
    return True
