"""Reading a mention's sentiment, and a person's correction of it (measures follow)."""

from datetime import UTC, datetime

from sqlalchemy import select
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


def _key(who: Principal, name: str, field: str) -> tuple[str, str]:
    """(brand id, mention id) of `tenants/{t}/brands/{b}/mentions/{m}/sentiment`."""
    if not name.endswith(SUFFIX):
        raise InvalidArgument(field, "expected tenants/{t}/brands/{b}/mentions/{m}/sentiment")
    _, brand_id, mention_id = access.SENTIMENT.parse_in_tenant(
        name.removesuffix(SUFFIX), who.tenant, field
    )
    return brand_id, mention_id


async def _load(uow: UnitOfWork, who: Principal, name: str, field: str) -> MentionSentimentRow:
    brand_id, mention_id = _key(who, name, field)
    row = await uow.session.get(MentionSentimentRow, (who.tenant, brand_id, mention_id))
    if row is None:
        raise NotFound("sentiment", name)
    return row


async def get_sentiment(uow: UnitOfWork, name: str) -> MentionSentimentRow:
    who = current_principal()
    row = await _load(uow, who, name, "name")
    await access.require_on_brand(uow, who, row.brand_id)
    return row


async def batch_get(
    uow: UnitOfWork, parent: str, names: list[str], skip_missing: bool = False
) -> list[MentionSentimentRow]:
    """In the order asked, read in one query; an unknown name is NOT_FOUND for the whole batch,
    or left out with `skip_missing` (a mention not scored yet)."""
    who = current_principal()
    require_parent(parent, who.tenant)
    if len(names) > MAX_BATCH:
        raise InvalidArgument("names", f"at most {MAX_BATCH} names", "TOO_MANY_NAMES")
    keys = [_key(who, name, "names") for name in names]
    # The brands too, so the primary key finds the rows (not a scan of the tenant's mentions).
    query = select(MentionSentimentRow).where(
        MentionSentimentRow.tenant == who.tenant,
        MentionSentimentRow.brand_id.in_({brand for brand, _ in keys}),
        MentionSentimentRow.mention_id.in_({mention for _, mention in keys}),
    )
    found = {(r.brand_id, r.mention_id): r for r in (await uow.session.scalars(query))}
    rows: list[MentionSentimentRow] = []
    for name, key in zip(names, keys, strict=True):
        if key in found:
            rows.append(found[key])
        elif not skip_missing:
            raise NotFound("sentiment", name)
    await access.require_on_brands(uow, who, {row.brand_id for row in rows})
    return rows


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
