"""A creator's vetting, computed from what this service holds (see domain/vetting).

The brand-independent part (engagement, authenticity, overall with the brand safety of all their
mentions against the default keywords) is kept on the creator row after every change so search
can filter and sort on it; `GetVetting` recomputes it, for one brand when asked (with that
brand's keyword list), with every input and reason.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from vigie_runtime.clock import as_utc as utc
from vigie_runtime.clock import now
from vigie_runtime.principal import Principal
from vigie_runtime.tenant_rows import load
from vigie_runtime.uow import UnitOfWork

from vigie_partnerships.adapters.orm import (
    CreatorAccountRow,
    CreatorMentionRow,
    CreatorRow,
    CreatorSnapshotRow,
    KnownBrandRow,
    MentionSentimentRow,
)
from vigie_partnerships.app.brand_safety import keywords_for
from vigie_partnerships.app.common import require_reader
from vigie_partnerships.app.names import BRAND, vetting_creator
from vigie_partnerships.domain.vetting.authenticity import (
    AuthenticityInputs,
    Point,
    authenticity_score,
)
from vigie_partnerships.domain.vetting.brand_safety import SaidAbout, brand_safety_score
from vigie_partnerships.domain.vetting.engagement import engagement_rate, engagement_score
from vigie_partnerships.domain.vetting.overall import overall_score
from vigie_partnerships.domain.vetting.score import Score

HISTORY_LIMIT = 60
MENTIONS_LIMIT = 500


@dataclass(frozen=True)
class VettingResult:
    creator: CreatorRow
    engagement: Score
    authenticity: Score
    brand_safety: Score
    overall: Score
    snapshot_id: str
    computed_at: datetime


async def rescore(uow: UnitOfWork, creator: CreatorRow, accounts: list[CreatorAccountRow]) -> None:
    result = await compute(uow, creator, accounts, brand_id="")
    primary = accounts[0] if accounts else None
    creator.engagement_rate = (
        engagement_rate(primary.mean_engagements_per_post, primary.followers) if primary else 0.0
    )
    creator.authenticity = result.authenticity.value
    creator.overall = result.overall.value


async def get_vetting(uow: UnitOfWork, who: Principal, name: str, brand: str) -> VettingResult:
    require_reader(who, "creators.read")
    creator_id = vetting_creator(name, who.tenant)
    brand_id = BRAND.parse_in_tenant(brand, who.tenant, "brand")[1] if brand else ""
    creator = await load(uow, CreatorRow, "creator", who.tenant, creator_id, name)
    query = select(CreatorAccountRow).where(
        CreatorAccountRow.tenant == who.tenant, CreatorAccountRow.creator_id == creator_id
    )
    accounts = list((await uow.session.execute(query)).scalars())
    accounts.sort(key=lambda r: (-r.followers, r.network, r.network_id))
    return await compute(uow, creator, accounts, brand_id)


async def compute(
    uow: UnitOfWork, creator: CreatorRow, accounts: list[CreatorAccountRow], brand_id: str
) -> VettingResult:
    primary = accounts[0] if accounts else None
    followers = primary.followers if primary else 0
    mean = primary.mean_engagements_per_post if primary else 0.0
    snapshots = await _history(uow, creator)
    said = await said_by(uow, creator, brand_id)
    moment = now()
    engagement = engagement_score(mean, followers)
    authenticity = authenticity_score(
        AuthenticityInputs(
            followers=followers,
            following=primary.following if primary else 0,
            posts=primary.posts if primary else 0,
            mean_engagements_per_post=mean,
            opened_at=utc(primary.opened_at) if primary and primary.opened_at else None,
            now=moment,
            history=tuple(
                Point(utc(s.captured_at), s.followers, s.mean_engagements_per_post)
                for s in snapshots
            ),
            texts=tuple(s.text for s in said),
        )
    )
    safety = brand_safety_score(said, await keywords_for(uow, creator.tenant, brand_id))
    overall = overall_score(engagement, authenticity, safety)
    latest = snapshots[-1].id if snapshots else ""
    return VettingResult(creator, engagement, authenticity, safety, overall, latest, moment)


async def _history(uow: UnitOfWork, creator: CreatorRow) -> list[CreatorSnapshotRow]:
    query = (
        select(CreatorSnapshotRow)
        .where(
            CreatorSnapshotRow.tenant == creator.tenant,
            CreatorSnapshotRow.creator_id == creator.id,
        )
        .order_by(CreatorSnapshotRow.id.desc())
        .limit(HISTORY_LIMIT)
    )
    return list(reversed((await uow.session.execute(query)).scalars().all()))


async def said_by(uow: UnitOfWork, creator: CreatorRow, brand_id: str) -> tuple[SaidAbout, ...]:
    """The creator's mentions, each marked as about the brand or one of its competitors (with no
    brand: the tenant's own brands against its competitor brands)."""
    brands = select(KnownBrandRow).where(KnownBrandRow.tenant == creator.tenant)
    known = {b.id: b for b in (await uow.session.execute(brands)).scalars()}
    query = (
        select(CreatorMentionRow, MentionSentimentRow.label)
        .outerjoin(
            MentionSentimentRow,
            (MentionSentimentRow.tenant == CreatorMentionRow.tenant)
            & (MentionSentimentRow.mention == CreatorMentionRow.mention),
        )
        .where(
            CreatorMentionRow.tenant == creator.tenant,
            CreatorMentionRow.creator_id == creator.id,
        )
        .order_by(CreatorMentionRow.published_at.desc())
        .limit(MENTIONS_LIMIT)
    )
    rivals = set(known[brand_id].competitors) if brand_id in known else set()
    said = []
    for mention, label in (await uow.session.execute(query)).all():
        if brand_id:
            if mention.brand_id != brand_id and mention.brand_id not in rivals:
                continue
            competitor = mention.brand_id in rivals
        else:
            brand = known.get(mention.brand_id)
            competitor = brand is not None and brand.kind == "competitor"
        said.append(SaidAbout(competitor, mention.text, label or ""))
    return tuple(said)
