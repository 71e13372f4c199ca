"""Mentions captured by the listener and scored by the reputation service.

An author with reach becomes a creator (discovery); every mention of a known creator is kept,
for brand safety now and for deliverables. Sentiments are kept by mention: one may arrive
before its mention.
"""

import logging
from dataclasses import dataclass
from datetime import datetime

from vigie_runtime.clock import as_utc as utc
from vigie_runtime.uow import UnitOfWork

from vigie_partnerships.adapters.orm import (
    CreatorAccountRow,
    CreatorMentionRow,
    CreatorRow,
    MentionSentimentRow,
)
from vigie_partnerships.app.creator_store import accounts_of, store_profile
from vigie_partnerships.app.fulfilment import verify_post
from vigie_partnerships.app.vetting import rescore
from vigie_partnerships.domain.creators import RefusedCreator, checked_profile
from vigie_partnerships.domain.discovery import discovered_profile

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CapturedMention:
    tenant: str
    mention: str
    brand_id: str
    network: str
    handle: str
    author_id: str
    author_name: str
    followers: int
    language: str
    country: str
    text: str
    url: str
    published_at: datetime


async def capture(uow: UnitOfWork, seen: CapturedMention, min_followers: int) -> str | None:
    """Records the mention under its author's creator; the creator's id, or None when the author
    is not (and does not become) a creator."""
    if not seen.network:
        return None
    key = (seen.tenant, seen.network, seen.author_id or seen.handle.removeprefix("@").lower())
    known = await uow.session.get(CreatorAccountRow, key)
    if known is None and seen.followers < min_followers:
        return None
    profile = discovered_profile(
        seen.network,
        seen.handle,
        seen.author_id,
        seen.author_name,
        seen.followers,
        seen.language,
        seen.country,
        seen.text,
    )
    try:
        stored = await store_profile(uow, seen.tenant, checked_profile(profile), "discovery")
    except RefusedCreator as refused:
        log.info("mention %s: author not kept as a creator (%s)", seen.mention, refused.reason)
        return None
    creator = stored.creator
    if await uow.session.get(CreatorMentionRow, (seen.tenant, seen.mention)) is None:
        post = CreatorMentionRow(
            tenant=seen.tenant,
            mention=seen.mention,
            creator_id=creator.id,
            brand_id=seen.brand_id,
            network=seen.network,
            text=seen.text,
            url=seen.url,
            reach=seen.followers,
            published_at=seen.published_at,
        )
        uow.session.add(post)
        await _rescore(uow, creator)
        await verify_post(uow, post)
    return creator.id


async def record_sentiment(
    uow: UnitOfWork, tenant: str, mention: str, label: str, scored_at: datetime
) -> None:
    row = await uow.session.get(MentionSentimentRow, (tenant, mention))
    if row is None:
        uow.session.add(
            MentionSentimentRow(tenant=tenant, mention=mention, label=label, scored_at=scored_at)
        )
    elif row.label == label or utc(row.scored_at) > utc(scored_at):
        return  # the same, or an older scoring than the one held
    else:
        row.label, row.scored_at = label, scored_at
    said = await uow.session.get(CreatorMentionRow, (tenant, mention))
    if said is not None:
        creator = await uow.session.get_one(CreatorRow, said.creator_id)
        await _rescore(uow, creator)


async def _rescore(uow: UnitOfWork, creator: CreatorRow) -> None:
    await uow.session.flush()
    await rescore(uow, creator, await accounts_of(uow, creator.tenant, creator.id))
