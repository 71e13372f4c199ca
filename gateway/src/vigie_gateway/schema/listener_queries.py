"""Reading the listener: listening queries, query checks and trials, mentions and counts,
engagement on published posts."""

from datetime import datetime
from typing import Annotated

import strawberry
from google.protobuf.timestamp_pb2 import Timestamp
from vigie.listener.v1 import listener_pb2 as rpc

from vigie_gateway.context import Context
from vigie_gateway.schema.common import (
    After,
    Connection,
    First,
    NamedOrderBy,
    NodeId,
    WindowEnd,
    WindowStart,
    connection,
    list_options,
    page_request,
    total,
    wire,
)
from vigie_gateway.schema.listener_engagement import PostEngagement, post_engagement
from vigie_gateway.schema.listener_orders import MentionOrderBy
from vigie_gateway.schema.listener_types import (
    CountInterval,
    ListeningQuery,
    Mention,
    MentionCount,
    QueryProblem,
    QueryTrial,
    QueryValidation,
    SampleResult,
    load_listening_queries,
)

Info = strawberry.Info[Context, None]


def stamp(moment: datetime | None) -> Timestamp | None:
    if moment is None:
        return None
    result = Timestamp()
    result.FromDatetime(moment)
    return result


@strawberry.input(description="Filters of a mention list; they combine with AND.")
class MentionFilter:
    brand_ids: list[strawberry.ID] = strawberry.field(
        default_factory=list,
        description="Brands (resource names); empty for every brand the caller may read.",
    )
    listening_query_id: strawberry.ID | None = strawberry.field(
        default=None, description="Only mentions that matched this listening query (resource name)."
    )
    published_after: datetime | None = strawberry.field(
        default=None, description="Only mentions published at or after this time."
    )
    published_before: datetime | None = strawberry.field(
        default=None, description="Only mentions published before this time."
    )
    languages: list[str] = strawberry.field(
        default_factory=list, description="BCP 47 language codes."
    )
    source_ids: list[strawberry.ID] = strawberry.field(
        default_factory=list, description="Sources (resource names)."
    )
    author_handle: str | None = strawberry.field(
        default=None, description="An author's handle, exactly."
    )
    text_contains: str | None = strawberry.field(default=None, description="Words, any case.")


@strawberry.input(description="Which listening queries to list.")
class ListeningQueryFilter:
    brand_id: strawberry.ID | None = strawberry.field(
        default=None, description="The brand's global id (`tenants/{t}/brands/{b}`)."
    )
    active: bool | None = strawberry.field(
        default=None, description="Only active (true) or paused (false) queries."
    )


@strawberry.type
class ListenerQuery:
    @strawberry.field(description="Listening queries of the group, or of one brand.")
    async def listening_queries(
        self,
        info: Info,
        first: First = 50,
        after: After = None,
        filter: Annotated[
            ListeningQueryFilter | None,
            strawberry.argument(description="Only the items that match."),
        ] = None,
        order_by: NamedOrderBy = None,
    ) -> Connection[ListeningQuery]:
        given = filter or ListeningQueryFilter()
        ctx = info.context
        page = page_request(first, after)
        request = rpc.ListListeningQueriesRequest(
            parent=str(given.brand_id or ctx.tenant_name), page_size=page.size,
            page_token=page.token, active=given.active, **list_options(info, order_by),
        )  # fmt: skip
        response = await ctx.call(ctx.clients.listener.ListListeningQueries, request)
        return connection(
            [ListeningQuery.of(q) for q in response.listening_queries],
            response.next_page_token,
            page,
            total(info, response),
        )

    @strawberry.field(description="One listening query by id.")
    async def listening_query(self, info: Info, id: NodeId) -> ListeningQuery:
        return (await load_listening_queries(info.context, [str(id)]))[0]

    @strawberry.field(description="Checks a query without saving it.")
    async def validate_query(
        self,
        info: Info,
        query: Annotated[str, strawberry.argument(description="The listening query text.")],
    ) -> QueryValidation:
        ctx = info.context
        request = rpc.ValidateQueryRequest(parent=ctx.tenant_name, query=query)
        answer = await ctx.call(ctx.clients.listener.ValidateQuery, request)
        return QueryValidation(
            valid=answer.valid,
            problems=[QueryProblem.of(p) for p in answer.problems],
            normalized_query=answer.normalized_query,
        )

    @strawberry.field(description="Runs a query over sample texts and recent mentions.")
    async def test_query(
        self,
        info: Info,
        brand_id: Annotated[
            strawberry.ID,
            strawberry.argument(description="The brand's global id (`tenants/{t}/brands/{b}`)."),
        ],
        query: Annotated[str, strawberry.argument(description="The listening query text.")],
        samples: Annotated[
            list[str], strawberry.argument(description="Texts to try the query on.")
        ],
        languages: Annotated[
            list[str] | None, strawberry.argument(description="Only these ISO 639-1 languages.")
        ] = None,
        recent_since: Annotated[
            datetime | None,
            strawberry.argument(description="Also count stored mentions since then."),
        ] = None,
    ) -> QueryTrial:
        ctx = info.context
        request = rpc.TestQueryRequest(
            parent=str(brand_id), query=query, languages=languages or [],
            samples=[rpc.TestQuerySample(text=s) for s in samples],
            recent_since_time=stamp(recent_since),
        )  # fmt: skip
        answer = await ctx.call(ctx.clients.listener.TestQuery, request)
        return QueryTrial(
            problems=[QueryProblem.of(p) for p in answer.problems],
            samples=[
                SampleResult(matched=r.matched, matched_terms=list(r.matched_terms))
                for r in answer.sample_results
            ],
            recent_matches=[Mention.of(m) for m in answer.recent_matches],
            recent_match_count=answer.recent_match_count,
        )

    @strawberry.field(description="Mentions, newest first unless `orderBy` says otherwise.")
    async def mentions(
        self,
        info: Info,
        filter: Annotated[
            MentionFilter | None, strawberry.argument(description="Only the items that match.")
        ] = None,
        first: First = 50,
        after: After = None,
        order_by: MentionOrderBy = None,
    ) -> Connection[Mention]:
        ctx = info.context
        page = page_request(first, after)
        wanted = filter or MentionFilter()
        request = rpc.ListMentionsRequest(
            parent=ctx.tenant_name, page_size=page.size, page_token=page.token,
            brands=[str(b) for b in wanted.brand_ids],
            listening_query=str(wanted.listening_query_id or ""),
            start_time=stamp(wanted.published_after), end_time=stamp(wanted.published_before),
            languages=wanted.languages, sources=[str(s) for s in wanted.source_ids],
            author_handle=wanted.author_handle or "", text_contains=wanted.text_contains or "",
            **list_options(info, order_by),
        )  # fmt: skip
        response = await ctx.call(ctx.clients.listener.ListMentions, request)
        return connection(
            [Mention.of(m) for m in response.mentions],
            response.next_page_token,
            page,
            total(info, response),
        )

    @strawberry.field(description="One mention by id.")
    async def mention(self, info: Info, id: NodeId) -> Mention:
        ctx = info.context
        request = rpc.GetMentionRequest(name=str(id))
        return Mention.of(await ctx.call(ctx.clients.listener.GetMention, request))

    @strawberry.field(description="Mention volume per brand and interval (empty ones count 0).")
    async def mention_counts(
        self,
        info: Info,
        start: WindowStart,
        end: WindowEnd,
        interval: Annotated[
            CountInterval, strawberry.argument(description="The width of each bucket.")
        ],
        brand_ids: Annotated[
            list[strawberry.ID] | None,
            strawberry.argument(
                description="Only these brands (global ids); all the caller may see when left out."
            ),
        ] = None,
        time_zone: Annotated[
            str,
            strawberry.argument(
                description="IANA time zone the buckets follow, e.g. Europe/Paris."
            ),
        ] = "UTC",
        languages: Annotated[
            list[str] | None, strawberry.argument(description="Only these ISO 639-1 languages.")
        ] = None,
    ) -> list[MentionCount]:
        ctx = info.context
        request = rpc.CountMentionsRequest(
            parent=ctx.tenant_name, brands=[str(b) for b in brand_ids or []],
            start_time=stamp(start), end_time=stamp(end), interval=wire(interval),
            time_zone=time_zone, languages=languages or [],
        )  # fmt: skip
        response = await ctx.call(ctx.clients.listener.CountMentions, request)
        return [
            MentionCount(start=c.start_time.ToDatetime(), count=c.count, brand_id=c.brand)
            for c in response.counts
        ]

    @strawberry.field(description="Replies and quotes captured of a brand's published post.")
    async def post_engagement(
        self,
        info: Info,
        post_id: Annotated[strawberry.ID, strawberry.argument(description="The post's global id.")],
    ) -> PostEngagement:
        return await post_engagement(info, post_id)
