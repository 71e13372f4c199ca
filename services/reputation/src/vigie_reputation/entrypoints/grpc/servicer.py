"""ReputationService over gRPC: request -> handler (which owns the transaction) -> response."""

from collections.abc import Callable
from datetime import UTC, datetime
from typing import TypeAlias

import grpc
from google.protobuf.empty_pb2 import Empty
from google.protobuf.message import Message
from vigie.reputation.v1 import reputation_pb2 as rpc
from vigie.reputation.v1 import reputation_pb2_grpc
from vigie.reputation.v1 import resources_pb2 as pb
from vigie_runtime.grpc_server import ServiceRegistration
from vigie_runtime.uow import Transactions, UnitOfWork

from vigie_reputation.adapters.secret_box import SecretBox
from vigie_reputation.app import (
    alert_rules,
    alert_views,
    best_time_reads,
    crisis_list,
    crisis_reads,
    crisis_views,
    evaluation,
    index,
    measures,
    region_reads,
    sentiments,
    views,
    webhook_views,
    webhooks,
)
from vigie_reputation.app.measure_views import MeasuresQuery
from vigie_reputation.domain.best_times import BestTimeParams

SERVICE_NAME = "vigie.reputation.v1.ReputationService"
Context: TypeAlias = grpc.aio.ServicerContext


def _time(message: Message, field: str) -> datetime | None:
    if not message.HasField(field):
        return None
    stamp = getattr(message, field)
    return stamp.ToDatetime(tzinfo=UTC)  # type: ignore[no-any-return]


class ReputationServicer(Transactions, reputation_pb2_grpc.ReputationServiceServicer):
    def __init__(self, uow: Callable[[], UnitOfWork], box: SecretBox) -> None:
        self._uow = uow
        self._box = box

    # Sentiment ---------------------------------------------------------------------------
    async def GetMentionSentiment(
        self, request: rpc.GetMentionSentimentRequest, context: Context
    ) -> pb.MentionSentiment:
        row = await self._read(lambda u: sentiments.get_sentiment(u, request.name))
        return views.sentiment(row)

    async def BatchGetMentionSentiments(
        self, request: rpc.BatchGetMentionSentimentsRequest, context: Context
    ) -> rpc.BatchGetMentionSentimentsResponse:
        rows = await self._read(
            lambda u: sentiments.batch_get(
                u, request.parent, list(request.names), request.skip_missing
            )
        )
        return rpc.BatchGetMentionSentimentsResponse(sentiments=[views.sentiment(r) for r in rows])

    async def CorrectSentiment(
        self, request: rpc.CorrectSentimentRequest, context: Context
    ) -> pb.MentionSentiment:
        row = await self._write(
            lambda u: sentiments.correct_sentiment(u, request.name, request.corrected_label)
        )
        return views.sentiment(row)

    # Measures ----------------------------------------------------------------------------
    async def GetMeasures(
        self, request: rpc.GetMeasuresRequest, context: Context
    ) -> rpc.GetMeasuresResponse:
        query = MeasuresQuery(
            brand=request.brand,
            start=_time(request, "start_time"),
            end=_time(request, "end_time"),
            granularity=request.granularity,
            dimension=request.dimension,
            time_zone=request.time_zone,
        )
        series = await self._read(lambda u: measures.get_measures(u, query))
        return rpc.GetMeasuresResponse(series=series)

    async def GetReputationIndex(
        self, request: rpc.GetReputationIndexRequest, context: Context
    ) -> pb.ReputationIndex:
        return await self._read(lambda u: index.get_reputation_index(u, request.name))

    async def GetShareOfVoice(
        self, request: rpc.GetShareOfVoiceRequest, context: Context
    ) -> pb.ShareOfVoice:
        start, end = _time(request, "start_time"), _time(request, "end_time")
        return await self._read(lambda u: measures.share_of_voice(u, request.brand, start, end))

    async def GetSentimentEvaluation(
        self, request: rpc.GetSentimentEvaluationRequest, context: Context
    ) -> pb.SentimentEvaluation:
        start, end = _time(request, "start_time"), _time(request, "end_time")
        return await self._read(
            lambda u: evaluation.get_sentiment_evaluation(u, request.brand, start, end)
        )

    # Crises --------------------------------------------------------------------------------
    async def GetCrisis(self, request: rpc.GetCrisisRequest, context: Context) -> pb.Crisis:
        return await self._read(lambda u: region_reads.crisis_anywhere(u, request.name))

    async def ListCrises(
        self, request: rpc.ListCrisesRequest, context: Context
    ) -> rpc.ListCrisesResponse:
        start, end = _time(request, "start_time"), _time(request, "end_time")
        listed = await self._read(lambda u: crisis_list.list_crises(u, request, start, end))
        return rpc.ListCrisesResponse(
            crises=listed.rows,
            next_page_token=listed.next_page_token,
            total_size=listed.total_size,
        )

    async def BatchGetCrises(
        self, request: rpc.BatchGetCrisesRequest, context: Context
    ) -> rpc.BatchGetCrisesResponse:
        names = list(request.names)
        rows = await self._read(lambda u: crisis_reads.batch_get(u, request.parent, names))
        return rpc.BatchGetCrisesResponse(crises=[crisis_views.crisis(r) for r in rows])

    # Alert rules ---------------------------------------------------------------------------
    async def CreateAlertRule(
        self, request: rpc.CreateAlertRuleRequest, context: Context
    ) -> pb.AlertRule:
        row = await self._write(
            lambda u: alert_rules.create(u, request.parent, request.alert_rule, request.request_id)
        )
        return alert_views.alert_rule(row)

    async def GetAlertRule(
        self, request: rpc.GetAlertRuleRequest, context: Context
    ) -> pb.AlertRule:
        return alert_views.alert_rule(await self._read(lambda u: alert_rules.get(u, request.name)))

    async def ListAlertRules(
        self, request: rpc.ListAlertRulesRequest, context: Context
    ) -> rpc.ListAlertRulesResponse:
        listed = await self._read(lambda u: alert_rules.list_rules(u, request))
        return rpc.ListAlertRulesResponse(
            alert_rules=[alert_views.alert_rule(r) for r in listed.rows],
            next_page_token=listed.next_page_token,
            total_size=listed.total_size,
        )

    async def UpdateAlertRule(
        self, request: rpc.UpdateAlertRuleRequest, context: Context
    ) -> pb.AlertRule:
        row = await self._write(
            lambda u: alert_rules.update(u, request.alert_rule, request.update_mask)
        )
        return alert_views.alert_rule(row)

    async def DeleteAlertRule(self, request: rpc.DeleteAlertRuleRequest, context: Context) -> Empty:
        await self._write(lambda u: alert_rules.delete(u, request.name, request.etag))
        return Empty()

    # Webhooks ------------------------------------------------------------------------------
    async def CreateWebhook(
        self, request: rpc.CreateWebhookRequest, context: Context
    ) -> pb.Webhook:
        row = await self._write(
            lambda u: webhooks.create(
                u, self._box, request.parent, request.webhook, request.request_id
            )
        )
        return webhook_views.webhook(row)

    async def UpdateWebhook(
        self, request: rpc.UpdateWebhookRequest, context: Context
    ) -> pb.Webhook:
        row = await self._write(
            lambda u: webhooks.update(u, self._box, request.webhook, request.update_mask)
        )
        return webhook_views.webhook(row)

    async def GetWebhook(self, request: rpc.GetWebhookRequest, context: Context) -> pb.Webhook:
        return webhook_views.webhook(await self._read(lambda u: webhooks.get(u, request.name)))

    async def ListWebhooks(
        self, request: rpc.ListWebhooksRequest, context: Context
    ) -> rpc.ListWebhooksResponse:
        listed = await self._read(lambda u: webhooks.list_webhooks(u, request))
        return rpc.ListWebhooksResponse(
            webhooks=[webhook_views.webhook(r) for r in listed.rows],
            next_page_token=listed.next_page_token,
            total_size=listed.total_size,
        )

    async def DeleteWebhook(self, request: rpc.DeleteWebhookRequest, context: Context) -> Empty:
        await self._write(lambda u: webhooks.delete(u, request.name))
        return Empty()

    async def ListWebhookDeliveries(
        self, request: rpc.ListWebhookDeliveriesRequest, context: Context
    ) -> rpc.ListWebhookDeliveriesResponse:
        listed = await self._read(lambda u: webhooks.list_deliveries(u, request))
        return rpc.ListWebhookDeliveriesResponse(
            deliveries=[webhook_views.delivery(r) for r in listed.rows],
            next_page_token=listed.next_page_token,
            total_size=listed.total_size,
        )

    # Best times to post -------------------------------------------------------------------
    async def GetBestTimes(
        self, request: rpc.GetBestTimesRequest, context: Context
    ) -> pb.BestTimes:
        name, size = request.name, request.page_size
        return await self._read(
            lambda u: best_time_reads.get_best_times(u, name, size, BestTimeParams())
        )


def registration(servicer: ReputationServicer) -> ServiceRegistration:
    return ServiceRegistration(
        SERVICE_NAME,
        lambda server: reputation_pb2_grpc.add_ReputationServiceServicer_to_server(
            servicer, server
        ),
    )
