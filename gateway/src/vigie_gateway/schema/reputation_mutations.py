"""Changing the reputation: a person's sentiment correction, webhooks."""

import strawberry
from vigie.reputation.v1 import reputation_pb2 as rpc
from vigie.reputation.v1 import resources_pb2 as pb

from vigie_gateway.context import Context
from vigie_gateway.schema.common import DeletePayload
from vigie_gateway.schema.reputation_alerts import ReputationAlertMutation
from vigie_gateway.schema.reputation_types import MentionSentiment, SentimentLabel, Webhook

Info = strawberry.Info[Context, None]


@strawberry.input(description="A webhook to create; the secret signs every body (HMAC-SHA256).")
class CreateWebhookInput:
    display_name: str
    url: str
    secret: str
    subsidiary_id: strawberry.ID | None = None
    request_id: str | None = strawberry.field(default=None, description="Makes retries safe.")


@strawberry.type
class ReputationMutation(ReputationAlertMutation):
    @strawberry.mutation(description="Sets the label a person chose; measures follow.")
    async def correct_sentiment(
        self, info: Info, id: strawberry.ID, label: SentimentLabel
    ) -> MentionSentiment:
        ctx = info.context
        request = rpc.CorrectSentimentRequest(name=str(id), corrected_label=label.value)
        answer = await ctx.call(ctx.clients.reputation.CorrectSentiment, request)
        return MentionSentiment.of(answer)

    @strawberry.mutation(description="Creates a webhook for a subsidiary (or the group).")
    async def create_webhook(self, info: Info, input: CreateWebhookInput) -> Webhook:
        ctx = info.context
        request = rpc.CreateWebhookRequest(
            parent=ctx.tenant_name,
            webhook=pb.Webhook(
                display_name=input.display_name, url=input.url, secret=input.secret,
                subsidiary=str(input.subsidiary_id or ""),
            ),
            request_id=input.request_id or "",
        )  # fmt: skip
        return Webhook.of(await ctx.call(ctx.clients.reputation.CreateWebhook, request))

    @strawberry.mutation(description="Deletes a webhook; its pending deliveries are dropped.")
    async def delete_webhook(self, info: Info, id: strawberry.ID) -> DeletePayload:
        ctx = info.context
        await ctx.call(ctx.clients.reputation.DeleteWebhook, rpc.DeleteWebhookRequest(name=str(id)))
        return DeletePayload(deleted_id=id)
