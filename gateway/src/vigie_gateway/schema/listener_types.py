"""The listener's objects as front-end teams see them: listening queries, mentions, counts."""

from datetime import datetime
from enum import Enum

import strawberry
from vigie.listener.v1 import listener_pb2 as rpc
from vigie.listener.v1 import resources_pb2 as pb

from vigie_gateway.context import Context
from vigie_gateway.loaders import load_mention_sentiments
from vigie_gateway.schema.common import Node, moment
from vigie_gateway.schema.directory_types import Brand, load_brands
from vigie_gateway.schema.reputation_types import MentionSentiment

Info = strawberry.Info[Context, None]


@strawberry.enum(description="Where a mention came from.")
class SourceKind(Enum):
    UNSPECIFIED = strawberry.enum_value(
        pb.SOURCE_KIND_UNSPECIFIED, description="Not set (as a filter: any kind)."
    )
    BLUESKY = strawberry.enum_value(
        pb.SOURCE_KIND_BLUESKY,
        description="The Bluesky firehose (a relay's subscribeRepos stream).",
    )
    MASTODON = strawberry.enum_value(
        pb.SOURCE_KIND_MASTODON, description="A Mastodon instance's streaming API."
    )
    RSS = strawberry.enum_value(pb.SOURCE_KIND_RSS, description="An RSS or Atom feed, polled.")
    PARTNER = strawberry.enum_value(
        pb.SOURCE_KIND_PARTNER,
        description="A partner agency pushing mentions through IngestMentions.",
    )
    REPLAY = strawberry.enum_value(
        pb.SOURCE_KIND_REPLAY, description="Recorded mentions played back (demos, load tests)."
    )


@strawberry.enum(description="The width of a counting interval.")
class CountInterval(Enum):
    MINUTE = strawberry.enum_value(rpc.COUNT_INTERVAL_MINUTE, description="One bucket a minute.")
    HOUR = strawberry.enum_value(rpc.COUNT_INTERVAL_HOUR, description="One bucket an hour.")
    DAY = strawberry.enum_value(
        rpc.COUNT_INTERVAL_DAY, description="One bucket a day (in `timeZone`)."
    )


@strawberry.type(description="A boolean query that decides which texts mention a brand.")
class ListeningQuery(Node):
    id: strawberry.ID = strawberry.field(description="tenants/{t}/brands/{b}/listeningQueries/{q}.")
    display_name: str = strawberry.field(description="Its name for people.")
    query: str = strawberry.field(description='The query, e.g. `"café lumière" -job`.')
    active: bool = strawberry.field(description="Inactive queries match nothing.")
    languages: list[str] = strawberry.field(description="Languages a text must be in; [] for any.")
    etag: str = strawberry.field(description="Pass back on update/delete to detect conflicts.")
    updated_at: datetime = strawberry.field(description="When it last changed (UTC).")
    brand_id: strawberry.Private[str]

    @strawberry.field(description="The brand it listens for.")
    async def brand(self, info: Info) -> Brand:
        return (await load_brands(info.context, [self.brand_id]))[0]

    @classmethod
    def of(cls, m: pb.ListeningQuery) -> "ListeningQuery":
        return cls(
            id=strawberry.ID(m.name), display_name=m.display_name, query=m.query,
            active=m.active, languages=list(m.languages), etag=m.etag,
            updated_at=moment(m.update_time), brand_id=m.brand,
        )  # fmt: skip


async def load_listening_queries(context: Context, names: list[str]) -> list[ListeningQuery]:
    """One BatchGet for every listening query a response nests (no N+1)."""

    async def batch(keys: list[str]) -> list[ListeningQuery]:
        response = await context.call(
            context.clients.listener.BatchGetListeningQueries,
            rpc.BatchGetListeningQueriesRequest(parent=context.tenant_name, names=keys),
        )
        return [ListeningQuery.of(q) for q in response.listening_queries]

    return list(await context.loader("listening_queries", batch).load_many(names))


@strawberry.type(description="Who wrote a mention, as the network showed them.")
class MentionAuthor:
    handle: str = strawberry.field(description="The network handle.")
    display_name: str = strawberry.field(description="The name shown.")
    followers_count: int = strawberry.field(description="Followers when captured (reach).")


@strawberry.type(description="A captured text that matched one of a brand's listening queries.")
class Mention(Node):
    id: strawberry.ID = strawberry.field(description="tenants/{t}/brands/{b}/mentions/{m}.")
    source_kind: SourceKind = strawberry.field(description="Where it came from.")
    external_id: str = strawberry.field(description="The network's id for the item.")
    url: str = strawberry.field(description="Where to read it.")
    text: str = strawberry.field(description="What was said.")
    language: str = strawberry.field(description="BCP 47 language, said or detected.")
    author: MentionAuthor = strawberry.field(description="Who said it.")
    published_at: datetime = strawberry.field(description="When the author published it.")
    captured_at: datetime = strawberry.field(description="When Vigie captured it.")
    brand_id: strawberry.Private[str]
    query_ids: strawberry.Private[list[str]]

    @strawberry.field(description="The brand it mentions.")
    async def brand(self, info: Info) -> Brand:
        return (await load_brands(info.context, [self.brand_id]))[0]

    @strawberry.field(description="The listening queries it matched (those still existing).")
    async def matched_queries(self, info: Info) -> list[ListeningQuery]:
        return await load_listening_queries(info.context, self.query_ids)

    @strawberry.field(description="What the reputation said of it; null until it is scored.")
    async def sentiment(self, info: Info) -> MentionSentiment | None:
        return (await load_mention_sentiments(info.context, [str(self.id)]))[0]

    @classmethod
    def of(cls, m: pb.Mention) -> "Mention":
        author = MentionAuthor(
            handle=m.author.handle,
            display_name=m.author.display_name,
            followers_count=m.author.followers_count,
        )
        return cls(
            id=strawberry.ID(m.name), source_kind=SourceKind(m.source_kind),
            external_id=m.external_id, url=m.url, text=m.text, language=m.language,
            author=author, published_at=moment(m.publish_time),
            captured_at=moment(m.capture_time), brand_id=m.brand,
            query_ids=list(m.matched_queries),
        )  # fmt: skip


@strawberry.type(description="How many mentions a brand had in one interval.")
class MentionCount:
    start: datetime = strawberry.field(description="Where the interval starts.")
    count: int = strawberry.field(description="Mentions published in it.")
    brand_id: strawberry.Private[str]

    @strawberry.field(description="The brand counted.")
    async def brand(self, info: Info) -> Brand:
        return (await load_brands(info.context, [self.brand_id]))[0]


@strawberry.type(description="One thing wrong with a query, and where (code points).")
class QueryProblem:
    code: str = strawberry.field(description="Stable code, e.g. QUERY_SYNTAX_ERROR.")
    message: str = strawberry.field(description="What was expected there.")
    start: int = strawberry.field(description="Offset where the problem starts.")
    end: int = strawberry.field(description="Offset where it ends.")

    @classmethod
    def of(cls, m: rpc.QueryProblem) -> "QueryProblem":
        return cls(code=m.code, message=m.message, start=m.start, end=m.end)


@strawberry.type(description="Whether a query parses, and why not.")
class QueryValidation:
    valid: bool = strawberry.field(description="True when the query can be used.")
    problems: list[QueryProblem] = strawberry.field(description="What is wrong, with positions.")
    normalized_query: str = strawberry.field(description="The query as understood, when valid.")


@strawberry.type(description="What a query matched in one sample text.")
class SampleResult:
    matched: bool = strawberry.field(description="Whether the query matches the sample.")
    matched_terms: list[str] = strawberry.field(description="The query's terms found in it.")


@strawberry.type(description="A query tried without saving it.")
class QueryTrial:
    problems: list[QueryProblem] = strawberry.field(
        description="What is wrong with the query; empty when valid."
    )
    samples: list[SampleResult] = strawberry.field(description="One per sample, in order.")
    recent_matches: list[Mention] = strawberry.field(description="Up to 50, newest first.")
    recent_match_count: int = strawberry.field(description="All recent mentions it matches.")
