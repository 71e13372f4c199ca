"""Mentions that asked the brand a question, kept for its response time."""

from datetime import datetime

from vigie_runtime.uow import UnitOfWork

from vigie_reputation.adapters.orm import QuestionMentionRow
from vigie_reputation.domain.presence.questions import asks_a_question


async def record_if_question(
    uow: UnitOfWork,
    key: tuple[str, str, str],
    uri: str,
    text: str,
    language: str,
    published: datetime,
) -> None:
    """Keeps (tenant, brand, mention) when its text asks a question; once (keyed by it)."""
    if not uri or not asks_a_question(text, language):
        return
    if await uow.session.get(QuestionMentionRow, key) is None:
        tenant, brand_id, mention_id = key
        uow.session.add(
            QuestionMentionRow(
                tenant=tenant,
                brand_id=brand_id,
                mention_id=mention_id,
                uri=uri,
                publish_time=published,
            )
        )
