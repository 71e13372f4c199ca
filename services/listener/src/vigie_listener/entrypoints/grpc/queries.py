"""Listening queries over gRPC: CRUD, ValidateQuery and TestQuery."""

from datetime import UTC

from google.protobuf.empty_pb2 import Empty
from vigie.listener.v1 import listener_pb2 as rpc
from vigie.listener.v1 import resources_pb2 as pb
from vigie_runtime.principal import current_principal

from vigie_listener.app import listening_queries as queries
from vigie_listener.app import query_trials, views
from vigie_listener.entrypoints.grpc.base import Context, ServicerBase


class QueriesServicer(ServicerBase):
    """Listening queries, their validation and trials."""

    async def CreateListeningQuery(
        self, request: rpc.CreateListeningQueryRequest, context: Context
    ) -> pb.ListeningQuery:
        who = current_principal()
        row = await self._write(
            lambda u: queries.create(
                u, who, request.parent, request.listening_query, request.request_id
            )
        )
        return views.listening_query(row)

    async def GetListeningQuery(
        self, request: rpc.GetListeningQueryRequest, context: Context
    ) -> pb.ListeningQuery:
        who = current_principal()
        return views.listening_query(await self._read(lambda u: queries.get(u, who, request.name)))

    async def ListListeningQueries(
        self, request: rpc.ListListeningQueriesRequest, context: Context
    ) -> rpc.ListListeningQueriesResponse:
        who = current_principal()
        listed = await self._read(lambda u: queries.list_(u, who, request))
        return rpc.ListListeningQueriesResponse(
            listening_queries=[views.listening_query(r) for r in listed.rows],
            next_page_token=listed.next_page_token,
            total_size=listed.total_size,
        )

    async def BatchGetListeningQueries(
        self, request: rpc.BatchGetListeningQueriesRequest, context: Context
    ) -> rpc.BatchGetListeningQueriesResponse:
        who = current_principal()
        rows = await self._read(lambda u: queries.batch_get(u, who, request.parent, request.names))
        return rpc.BatchGetListeningQueriesResponse(
            listening_queries=[views.listening_query(r) for r in rows]
        )

    async def UpdateListeningQuery(
        self, request: rpc.UpdateListeningQueryRequest, context: Context
    ) -> pb.ListeningQuery:
        who = current_principal()
        row = await self._write(
            lambda u: queries.update(u, who, request.listening_query, request.update_mask)
        )
        return views.listening_query(row)

    async def DeleteListeningQuery(
        self, request: rpc.DeleteListeningQueryRequest, context: Context
    ) -> Empty:
        who = current_principal()
        await self._write(lambda u: queries.delete(u, who, request.name, request.etag))
        return Empty()

    async def ValidateQuery(
        self, request: rpc.ValidateQueryRequest, context: Context
    ) -> rpc.ValidateQueryResponse:
        compiled, problems = query_trials.validate(
            current_principal(), request.parent, request.query
        )
        return rpc.ValidateQueryResponse(
            valid=compiled is not None,
            problems=[views.problem(p) for p in problems],
            normalized_query=compiled.canonical if compiled else "",
        )

    async def TestQuery(
        self, request: rpc.TestQueryRequest, context: Context
    ) -> rpc.TestQueryResponse:
        who = current_principal()
        since = (
            request.recent_since_time.ToDatetime(tzinfo=UTC)
            if request.HasField("recent_since_time")
            else None
        )
        trial = await self._read(
            lambda u: query_trials.test(
                u, who, self._detector, request.parent, request.query, request.languages,
                [(s.text, s.language) for s in request.samples], since,
            )
        )  # fmt: skip
        return rpc.TestQueryResponse(
            problems=[views.problem(p) for p in trial.problems],
            sample_results=[
                rpc.TestQuerySampleResult(matched=s.matched, matched_terms=s.matched_terms)
                for s in trial.samples
            ],
            recent_matches=[views.mention(r) for r in trial.recent],
            recent_match_count=trial.recent_count,
        )
