"""The sentiment model judged against people's corrections, as front ends read it."""

from datetime import datetime
from typing import Annotated

import strawberry
from google.protobuf.timestamp_pb2 import Timestamp
from vigie.reputation.v1 import reputation_pb2 as rpc
from vigie.reputation.v1 import resources_pb2 as pb

from vigie_gateway.context import Context
from vigie_gateway.schema.common import WindowEnd, WindowStart
from vigie_gateway.schema.reputation_types import SentimentLabel

Info = strawberry.Info[Context, None]


@strawberry.type(description="Corrected mentions the model labelled one way and a person another.")
class ConfusionCell:
    model_label: SentimentLabel = strawberry.field(description="What the model said.")
    corrected_label: SentimentLabel = strawberry.field(description="What a person corrected it to.")
    count: int = strawberry.field(description="How many.")


@strawberry.type(description="The model's agreement with corrections (uncorrected never agree).")
class SentimentAgreement:
    language: str = strawberry.field(description="Empty for the overall figures.")
    scored: int = strawberry.field(description="Mentions scored by the model.")
    corrected: int = strawberry.field(description="Of those, corrected by a person.")
    agreed: int = strawberry.field(
        description="Of the corrected, where the person agreed with the model."
    )
    accuracy: float = strawberry.field(description="agreed / corrected (0 without corrections).")
    macro_f1: float = strawberry.field(description="Mean F1 over negative, neutral, positive.")
    confusion: list[ConfusionCell] = strawberry.field(description="Model label -> corrected.")
    model_versions: list[str] = strawberry.field(
        description="The model versions that scored these mentions, sorted."
    )

    @classmethod
    def of(cls, a: pb.SentimentAgreement) -> "SentimentAgreement":
        return cls(
            language=a.language, scored=a.scored_count, corrected=a.corrected_count,
            agreed=a.agreed_count, accuracy=a.accuracy, macro_f1=a.macro_f1,
            confusion=[
                ConfusionCell(
                    model_label=SentimentLabel(c.model_label),
                    corrected_label=SentimentLabel(c.corrected_label),
                    count=c.count,
                )
                for c in a.confusion
            ],
            model_versions=list(a.model_versions),
        )  # fmt: skip


@strawberry.type(description="The model against people's corrections, overall and per language.")
class SentimentEvaluation:
    overall: SentimentAgreement = strawberry.field(description="Agreement over every label.")
    languages: list[SentimentAgreement] = strawberry.field(
        description="One per language seen in the window, sorted by language."
    )


def _stamp(moment: datetime) -> Timestamp:
    result = Timestamp()
    result.FromDatetime(moment)
    return result


@strawberry.type
class ReputationEvaluationQuery:
    @strawberry.field(
        description="How the sentiment model agrees with corrections over a window "
        "(`tenants/{t}/brands/-` for the group)."
    )
    async def sentiment_evaluation(
        self,
        info: Info,
        brand_id: Annotated[
            strawberry.ID,
            strawberry.argument(description="The brand's global id (`tenants/{t}/brands/{b}`)."),
        ],
        start: WindowStart,
        end: WindowEnd,
    ) -> SentimentEvaluation:
        ctx = info.context
        request = rpc.GetSentimentEvaluationRequest(
            brand=str(brand_id), start_time=_stamp(start), end_time=_stamp(end)
        )
        answer = await ctx.call(ctx.clients.reputation.GetSentimentEvaluation, request)
        return SentimentEvaluation(
            overall=SentimentAgreement.of(answer.overall),
            languages=[SentimentAgreement.of(a) for a in answer.languages],
        )
