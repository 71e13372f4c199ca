"""The served model judged against people's corrections over a brand (or the group) and a
window: counted in one grouped query, computed in the domain."""

from datetime import datetime, timedelta

from sqlalchemy import func, select
from vigie.reputation.v1 import resources_pb2 as pb
from vigie_runtime.errors import InvalidArgument, NotFound
from vigie_runtime.principal import current_principal
from vigie_runtime.uow import UnitOfWork

from vigie_reputation.adapters.orm import KnownBrandRow, MentionSentimentRow
from vigie_reputation.app import access
from vigie_reputation.app.measures import window
from vigie_reputation.app.views import LABELS as LABEL_VALUES
from vigie_reputation.app.views import stamp
from vigie_reputation.domain.evaluation import LABELS, Evaluation, Judged, evaluate

# A year bounds the rows scanned (the brand/time index keeps it a range read).
MAX_SPAN = timedelta(days=366)


async def _judged(
    uow: UnitOfWork, tenant: str, brand_ids: list[str], start: datetime, end: datetime
) -> list[Judged]:
    table = MentionSentimentRow
    keys = (table.language, table.label, table.corrected_label, table.model_version)
    query = (
        select(*keys, func.count().label("n"))
        .where(
            table.tenant == tenant,
            table.brand_id.in_(brand_ids),
            table.publish_time >= start,
            table.publish_time < end,
        )
        .group_by(*keys)
    )
    return [Judged(r[0], r[1], r[2], r[3], int(r.n)) for r in await uow.session.execute(query)]


async def get_sentiment_evaluation(
    uow: UnitOfWork, brand: str, start: datetime | None, end: datetime | None
) -> pb.SentimentEvaluation:
    who = current_principal()
    start, end = window(start, end)
    if end - start > MAX_SPAN:
        reason = "RANGE_TOO_LARGE"
        raise InvalidArgument("end_time", f"at most {MAX_SPAN.days} days per evaluation", reason)
    scope = await access.readable_brands(uow, who, brand, "brand")
    if not scope.is_group:
        known = await uow.session.get(KnownBrandRow, (who.tenant, scope.brand_ids[0]))
        if known is None or known.deleted:
            raise NotFound("brand", brand)
    overall, *languages = evaluate(await _judged(uow, who.tenant, scope.brand_ids, start, end))
    return pb.SentimentEvaluation(
        brand=brand,
        start_time=stamp(start),
        end_time=stamp(end),
        overall=agreement(overall),
        languages=[agreement(e) for e in languages],
    )


def agreement(figures: Evaluation) -> pb.SentimentAgreement:
    return pb.SentimentAgreement(
        language=figures.language,
        scored_count=figures.scored,
        corrected_count=figures.corrected,
        agreed_count=figures.agreed,
        accuracy=figures.accuracy,
        macro_f1=figures.macro_f1,
        confusion=[
            pb.ConfusionCell(
                model_label=LABEL_VALUES[model],
                corrected_label=LABEL_VALUES[person],
                count=figures.confusion[model][person],
            )
            for model in LABELS
            for person in LABELS
        ],
        model_versions=sorted(figures.model_versions),
    )
