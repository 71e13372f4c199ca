"""Reading the reputation: measures, index, share of voice, crises, sentiments, webhooks."""

from datetime import datetime
from typing import Annotated

import strawberry
from google.protobuf.timestamp_pb2 import Timestamp
from vigie.reputation.v1 import reputation_pb2 as rpc

from vigie_gateway.context import Context
from vigie_gateway.schema.common import (
    After,
    Connection,
    First,
    NamedOrderBy,
    NodeId,
    WindowEnd,
    WindowStart,
    list_options,
    listed,
    page_request,
    wire,
)
from vigie_gateway.schema.reputation_alerts import ReputationAlertQuery
from vigie_gateway.schema.reputation_evaluation import ReputationEvaluationQuery
from vigie_gateway.schema.reputation_orders import CrisisOrderBy, WebhookDeliveryOrderBy
from vigie_gateway.schema.reputation_types import (
    BrandShare,
    Crisis,
    CrisisStatus,
    Dimension,
    Granularity,
    MeasureSeries,
    MentionSentiment,
    ReputationIndex,
    Webhook,
    WebhookDelivery,
)

Info = strawberry.Info[Context, None]


def stamp(moment: datetime | None) -> Timestamp | None:
    if moment is None:
        return None
    result = Timestamp()
    result.FromDatetime(moment)
    return result


@strawberry.input(description="Which crises to list.")
class CrisisFilter:
    brand_ids: list[strawberry.ID] | None = strawberry.field(
        default=None,
        description="Only these brands (global ids); all the caller may see when left out.",
    )
    statuses: list[CrisisStatus] | None = strawberry.field(
        default=None, description="Only these statuses; all when left out."
    )


@strawberry.type
class ReputationQuery(ReputationAlertQuery, ReputationEvaluationQuery):
    @strawberry.field(description="A brand's series (`tenants/{t}/brands/-` for the group).")
    async def measures(
        self,
        info: Info,
        brand_id: Annotated[
            strawberry.ID,
            strawberry.argument(description="The brand's global id (`tenants/{t}/brands/{b}`)."),
        ],
        start: WindowStart,
        end: WindowEnd,
        granularity: Annotated[
            Granularity, strawberry.argument(description="The width of each bucket.")
        ],
        dimension: Annotated[
            Dimension, strawberry.argument(description="Split each series by this dimension.")
        ] = Dimension.NONE,
        time_zone: Annotated[
            str,
            strawberry.argument(
                description="IANA time zone the buckets follow, e.g. Europe/Paris."
            ),
        ] = "",
    ) -> list[MeasureSeries]:
        ctx = info.context
        request = rpc.GetMeasuresRequest(
            brand=str(brand_id), start_time=stamp(start), end_time=stamp(end),
            granularity=wire(granularity), dimension=wire(dimension), time_zone=time_zone,
        )  # fmt: skip
        response = await ctx.call(ctx.clients.reputation.GetMeasures, request)
        return [MeasureSeries.of(s) for s in response.series]

    @strawberry.field(description="A brand's Reputation Index and what moved it.")
    async def reputation_index(
        self,
        info: Info,
        brand_id: Annotated[
            strawberry.ID,
            strawberry.argument(description="The brand's global id (`tenants/{t}/brands/{b}`)."),
        ],
    ) -> ReputationIndex:
        ctx = info.context
        request = rpc.GetReputationIndexRequest(name=f"{brand_id}/reputationIndex")
        return ReputationIndex.of(
            await ctx.call(ctx.clients.reputation.GetReputationIndex, request)
        )

    @strawberry.field(description="The brand against its competitors over a window.")
    async def share_of_voice(
        self,
        info: Info,
        brand_id: Annotated[
            strawberry.ID,
            strawberry.argument(description="The brand's global id (`tenants/{t}/brands/{b}`)."),
        ],
        start: WindowStart,
        end: WindowEnd,
    ) -> list[BrandShare]:
        ctx = info.context
        request = rpc.GetShareOfVoiceRequest(
            brand=str(brand_id), start_time=stamp(start), end_time=stamp(end)
        )
        answer = await ctx.call(ctx.clients.reputation.GetShareOfVoice, request)
        return [
            BrandShare(
                brand_id=strawberry.ID(s.brand),
                volume=s.volume,
                share=s.share,
                positive_share=s.positive_share,
                net_sentiment=s.net_sentiment,
            )
            for s in answer.shares
        ]

    @strawberry.field(
        description="Crises, most recently opened first unless `orderBy` says otherwise."
    )
    async def crises(
        self,
        info: Info,
        first: First = 50,
        after: After = None,
        filter: Annotated[
            CrisisFilter | None, strawberry.argument(description="Only the items that match.")
        ] = None,
        order_by: CrisisOrderBy = None,
    ) -> Connection[Crisis]:
        given = filter or CrisisFilter()
        ctx = info.context
        page = page_request(first, after)
        request = rpc.ListCrisesRequest(
            parent=ctx.tenant_name, page_size=page.size, page_token=page.token,
            brands=[str(b) for b in given.brand_ids or []],
            statuses=[wire(s) for s in given.statuses or []], **list_options(info, order_by),
        )  # fmt: skip
        return await listed(
            info, ctx.clients.reputation.ListCrises, request, page,
            lambda found: [Crisis.of(c) for c in found.crises],
        )  # fmt: skip

    @strawberry.field(description="One crisis with its explanation.")
    async def crisis(self, info: Info, id: NodeId) -> Crisis:
        ctx = info.context

        # The crises asked in one request are read in one BatchGetCrises call.
        async def load(names: list[str]) -> list[Crisis]:
            request = rpc.BatchGetCrisesRequest(parent=ctx.tenant_name, names=names)
            answer = await ctx.call(ctx.clients.reputation.BatchGetCrises, request)
            return [Crisis.of(c) for c in answer.crises]

        crisis: Crisis = await ctx.loader("reputation.crises", load).load(str(id))
        return crisis

    @strawberry.field(description="The sentiment of one mention (`.../mentions/{m}/sentiment`).")
    async def mention_sentiment(self, info: Info, id: NodeId) -> MentionSentiment:
        ctx = info.context
        request = rpc.GetMentionSentimentRequest(name=str(id))
        answer = await ctx.call(ctx.clients.reputation.GetMentionSentiment, request)
        return MentionSentiment.of(answer)

    @strawberry.field(description="The group's webhooks (those the caller may read).")
    async def webhooks(
        self, info: Info, first: First = 50, after: After = None, order_by: NamedOrderBy = None
    ) -> Connection[Webhook]:
        ctx = info.context
        page = page_request(first, after)
        request = rpc.ListWebhooksRequest(
            parent=ctx.tenant_name, page_size=page.size, page_token=page.token,
            **list_options(info, order_by),
        )  # fmt: skip
        return await listed(
            info, ctx.clients.reputation.ListWebhooks, request, page,
            lambda found: [Webhook.of(w) for w in found.webhooks],
        )  # fmt: skip

    @strawberry.field(description="A webhook's deliveries, newest first unless asked otherwise.")
    async def webhook_deliveries(
        self,
        info: Info,
        webhook_id: Annotated[
            strawberry.ID, strawberry.argument(description="The webhook's global id.")
        ],
        first: First = 50,
        after: After = None,
        order_by: WebhookDeliveryOrderBy = None,
    ) -> Connection[WebhookDelivery]:
        ctx = info.context
        page = page_request(first, after)
        request = rpc.ListWebhookDeliveriesRequest(
            parent=str(webhook_id), page_size=page.size, page_token=page.token,
            **list_options(info, order_by),
        )  # fmt: skip
        return await listed(
            info, ctx.clients.reputation.ListWebhookDeliveries, request, page,
            lambda found: [WebhookDelivery.of(d) for d in found.deliveries],
        )  # fmt: skip
