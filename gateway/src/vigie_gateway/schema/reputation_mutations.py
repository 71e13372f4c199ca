"""Changing the reputation: a person's sentiment correction, webhooks."""

import strawberry
from vigie.reputation.v1 import reputation_pb2 as rpc
from vigie.reputation.v1 import resources_pb2 as pb

from vigie_gateway.context import Context
from vigie_gateway.schema.common import ObjectInput, wire
from vigie_gateway.schema.payloads import payload_mutation
from vigie_gateway.schema.reputation_alerts import ReputationAlertMutation
from vigie_gateway.schema.reputation_types import MentionSentiment, SentimentLabel, Webhook

Info = strawberry.Info[Context, None]


@strawberry.input(description="A webhook to create; the secret signs every body (HMAC-SHA256).")
class CreateWebhookInput:
    display_name: str = strawberry.field(description="Its name as people see it.")
    url: str = strawberry.field(description="The address.")
    secret: str = strawberry.field(
        description="Input only: the HMAC-SHA256 signing secret. Never returned; see `secret_set`."
    )
    subsidiary_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="The subsidiary whose alerts it receives: "
        "tenants/{tenant}/subsidiaries/{subsidiary}; empty for group-wide.",
    )
    request_id: str | None = strawberry.field(default=None, description="Makes retries safe.")


@strawberry.input(description="What `correctSentiment` needs.")
class CorrectSentimentInput:
    id: strawberry.ID = strawberry.field(
        description="Global id: tenants/{tenant}/brands/{brand}/mentions/{mention}/sentiment."
    )
    label: SentimentLabel = strawberry.field(description="The label a person chose.")


@strawberry.input(description="The webhook to delete.")
class DeleteWebhookInput(ObjectInput):
    pass


@strawberry.type
class ReputationMutation(ReputationAlertMutation):
    @payload_mutation(
        mention_sentiment=MentionSentiment,
        description="Sets the label a person chose; measures follow.",
    )
    async def correct_sentiment(self, info: Info, input: CorrectSentimentInput) -> MentionSentiment:
        ctx = info.context
        request = rpc.CorrectSentimentRequest(name=str(input.id), corrected_label=wire(input.label))
        answer = await ctx.call(ctx.clients.reputation.CorrectSentiment, request)
        return MentionSentiment.of(answer)

    @payload_mutation(
        webhook=Webhook, description="Creates a webhook for a subsidiary (or the group)."
    )
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

    @payload_mutation(
        deleted_id=strawberry.ID,
        description="Deletes a webhook; its pending deliveries are dropped.",
    )
    async def delete_webhook(self, info: Info, input: DeleteWebhookInput) -> strawberry.ID:
        ctx = info.context
        await ctx.call(
            ctx.clients.reputation.DeleteWebhook, rpc.DeleteWebhookRequest(name=str(input.id))
        )
        return input.id
