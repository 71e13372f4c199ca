"""Per-request loaders of nested objects that live in another service than their parent's type:
each reads every key a response asks for with one BatchGet (no N+1)."""

from vigie.reputation.v1 import reputation_pb2 as rpc

from vigie_gateway.context import Context
from vigie_gateway.schema.reputation_types import MentionSentiment


async def load_mention_sentiments(
    context: Context, mention_ids: list[str]
) -> list[MentionSentiment | None]:
    """The sentiment of each mention, None for one not scored yet (one BatchGet per response)."""

    async def batch(names: list[str]) -> list[MentionSentiment | None]:
        response = await context.call(
            context.clients.reputation.BatchGetMentionSentiments,
            rpc.BatchGetMentionSentimentsRequest(
                parent=context.tenant_name, names=names, skip_missing=True
            ),
        )
        found = {s.name: MentionSentiment.of(s) for s in response.sentiments}
        return [found.get(name) for name in names]

    names = [f"{mention}/sentiment" for mention in mention_ids]
    return list(await context.loader("reputation.sentiments", batch).load_many(names))
