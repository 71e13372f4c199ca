"""The listener's `mention.captured`, mapped onto the scoring handler."""

import contextlib
import logging
from collections.abc import Sequence
from datetime import UTC, datetime

from vigie.listener.v1 import events_pb2
from vigie_runtime.events import IncomingEvent
from vigie_runtime.inbox import Subscription
from vigie_runtime.resource_names import ResourcePattern
from vigie_runtime.uow import UnitOfWork

from vigie_reputation.app import crisis_watch, metrics, questions, scoring
from vigie_reputation.app.events import MENTION_CAPTURED
from vigie_reputation.app.scorer import Scorer
from vigie_reputation.domain.crisis import CrisisParams
from vigie_reputation.domain.measures import MentionFacts

log = logging.getLogger(__name__)

MENTIONS_DURABLE = "reputation-mentions"

_MENTION = ResourcePattern("mention", ("tenants", "brands", "mentions"))
_SUBSIDIARY = ResourcePattern("subsidiary", ("tenants", "subsidiaries"))


def mentions_subscription(scorer: Scorer, params: CrisisParams) -> Subscription:
    # The mentions of the batch being applied (set by `score_batch_ahead`, which runs first).
    batch_keys: list[scoring.MentionKey] = []
    # When each mention scored in the batch was captured, in the order they were scored (the
    # order the crisis watches count them at the batch's end).
    captured_times: list[datetime] = []

    async def on_mention_captured(uow: UnitOfWork, event: IncomingEvent) -> None:
        if event.type != MENTION_CAPTURED.ce_type:
            log.info("ignoring %s: not an event this version knows", event.type)
            return
        message = MENTION_CAPTURED.parse(event)
        captured = facts(message, event)
        # Rows are written once per batch at commit (multi-row INSERTs), not before each query.
        with uow.session.no_autoflush:
            if "scored_before" not in uow.session.info:
                captured_times.clear()
                crisis_watch.count_at_batch_end(uow)
                await scoring.remember_scored(uow, batch_keys)
            if await scoring.score_mention(uow, scorer, params, captured):
                capture = message.mention.capture_time
                at = capture.ToDatetime(tzinfo=UTC) if capture.seconds else event.time
                captured_times.append(at)
                metrics.observe_after_commit(uow, at, raised_alert=False)
            key = (captured.tenant, captured.brand_id, captured.mention_id)
            await questions.record_if_question(
                uow,
                key,
                message.mention.external_id,
                captured.text,
                captured.language,
                captured.publish_time,
            )

    async def score_batch_ahead(events: Sequence[IncomingEvent]) -> None:
        texts = []
        batch_keys.clear()
        for event in events:
            if event.type == MENTION_CAPTURED.ce_type:
                mention = MENTION_CAPTURED.parse(event).mention
                texts.append((mention.text, mention.language))
                with contextlib.suppress(ValueError):  # refused later, by the handler
                    tenant, brand, mention_id = _MENTION.parse(mention.name, "mention.name")
                    batch_keys.append((tenant, brand, mention_id))
        await scorer.prepare(texts)

    async def count_in_watches(uow: UnitOfWork) -> None:
        """The batch's counts in the crisis watches, last in its transaction (shortly locked)."""
        with uow.session.no_autoflush:
            for place in await crisis_watch.count_noted(uow, params):
                metrics.observe_alert_after_commit(uow, captured_times[place])

    return Subscription(
        durable=MENTIONS_DURABLE,
        producer="listener",
        subjects=[MENTION_CAPTURED.subject_filter()],
        handler=on_mention_captured,
        prepare_batch=score_batch_ahead,
        finish_batch=count_in_watches,
    )


def facts(captured: events_pb2.MentionCaptured, event: IncomingEvent) -> MentionFacts:
    mention = captured.mention
    tenant, brand_id, mention_id = _MENTION.parse(mention.name, "mention.name")
    if tenant != event.tenant:
        # A mention of another tenant in this tenant's event: never applied.
        raise ValueError(f"event {event.id} of tenant {event.tenant} names {mention.name}")
    subsidiary = ""
    if captured.subsidiary:
        subsidiary = _SUBSIDIARY.parse(captured.subsidiary, "subsidiary")[1]
    published = mention.publish_time if mention.HasField("publish_time") else None
    return MentionFacts(
        tenant=tenant,
        brand_id=brand_id,
        mention_id=mention_id,
        subsidiary_id=subsidiary,
        language=mention.language,
        country=mention.country,
        source=mention.source,
        author_handle=mention.author.handle,
        followers=mention.author.followers_count,
        text=mention.text,
        publish_time=published.ToDatetime(tzinfo=UTC) if published else event.time,
    )
