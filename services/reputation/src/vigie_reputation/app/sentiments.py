"""Reading a mention's sentiment, and a person's correction of it (measures follow)."""

from datetime import UTC, datetime

from vigie.reputation.v1 import resources_pb2 as pb
from vigie_runtime.errors import InvalidArgument, NotFound
from vigie_runtime.principal import Principal, current_principal
from vigie_runtime.resource_names import require_parent
from vigie_runtime.uow import UnitOfWork

from vigie_reputation.adapters.measure_store import add_to_buckets
from vigie_reputation.adapters.orm import MentionSentimentRow
from vigie_reputation.app import access, views
from vigie_reputation.app.events import MENTION_SCORED
from vigie_reputation.domain.measures import MentionFacts, dimension_values, minute_of, relabel

SUFFIX = "/sentiment"
MAX_BATCH = 1000


async def _load(uow: UnitOfWork, who: Principal, name: str, field: str) -> MentionSentimentRow:
    if not name.endswith(SUFFIX):
        raise InvalidArgument(field, "expected tenants/{t}/brands/{b}/mentions/{m}/sentiment")
    _, brand_id, mention_id = access.SENTIMENT.parse_in_tenant(
        name.removesuffix(SUFFIX), who.tenant, field
    )
    row = await uow.session.get(MentionSentimentRow, (who.tenant, brand_id, mention_id))
    if row is None:
        raise NotFound("sentiment", name)
    return row


async def get_sentiment(uow: UnitOfWork, name: str) -> MentionSentimentRow:
    who = current_principal()
    row = await _load(uow, who, name, "name")
    await access.require_on_brand(uow, who, row.brand_id)
    return row


async def batch_get(uow: UnitOfWork, parent: str, names: list[str]) -> list[MentionSentimentRow]:
    who = current_principal()
    require_parent(parent, who.tenant)
    if len(names) > MAX_BATCH:
        raise InvalidArgument("names", f"at most {MAX_BATCH} names", "TOO_MANY_NAMES")
    return [await get_sentiment(uow, name) for name in names]


async def correct_sentiment(
    uow: UnitOfWork, name: str, label: pb.SentimentLabel.ValueType
) -> MentionSentimentRow:
    who = current_principal()
    if label not in views.LABEL_NAMES:
        raise InvalidArgument("corrected_label", "positive, neutral or negative", "LABEL_REQUIRED")
    row = await _load(uow, who, name, "name")
    await access.require_on_brand(uow, who, row.brand_id, access.CORRECT_ROLES)
    new = views.LABEL_NAMES[label]
    old = row.corrected_label or row.label
    if new != old:
        await add_to_buckets(
            uow.session,
            row.tenant,
            row.brand_id,
            minute_of(views.utc(row.publish_time)),
            dimension_values(_facts(row)),
            relabel(old, new, row.followers),
        )
    row.corrected_label = new
    row.corrected_by = who.subject
    row.correct_time = datetime.now(UTC)
    uow.emit(MENTION_SCORED, row.tenant, views.mention_scored(row))
    return row


def _facts(row: MentionSentimentRow) -> MentionFacts:
    return MentionFacts(
        tenant=row.tenant,
        brand_id=row.brand_id,
        mention_id=row.mention_id,
        subsidiary_id=row.subsidiary_id,
        language=row.language,
        country=row.country,
        source=row.source,
        author_handle=row.author_handle,
        followers=row.followers,
        text=row.text,
        publish_time=views.utc(row.publish_time),
    )
