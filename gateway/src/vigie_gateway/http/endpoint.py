"""The HTTP side of /graphql: protocol, cross-site checks, rate limit, fair admission, persisted
queries, then the schema. The caller is known from its headers, so a request over its limit or
its tenant's queue is refused before its body is read. WebSocket upgrades and the GraphiQL page
stay with Strawberry's view."""

from typing import Any, Protocol

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from strawberry.http import process_result
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError
from strawberry.types import ExecutionResult
from strawberry.types.execution import PreExecutionError
from strawberry.types.graphql import OperationType

from vigie_gateway.context import Context
from vigie_gateway.http.admission import FairAdmission, Overloaded
from vigie_gateway.http.csrf import check_origin
from vigie_gateway.http.persisted_queries import PersistedQueries
from vigie_gateway.http.protocol import (
    GRAPHQL_RESPONSE,
    GraphQLParams,
    ProtocolError,
    body_params,
    error_body,
    negotiate,
    query_string_params,
)
from vigie_gateway.http.rate_limit import RateLimiter, caller_key
from vigie_gateway.http.refusal_codes import add_codes

QUERY_ONLY = frozenset({OperationType.QUERY})
QUERY_OR_MUTATION = frozenset({OperationType.QUERY, OperationType.MUTATION})


class GraphQLView(Protocol):
    """What the endpoint needs of Strawberry's view: the schema and the request's context."""

    schema: Any

    async def get_context(self, request: Any, response: Any) -> Context: ...


class GraphQLHttp:
    def __init__(
        self,
        view: GraphQLView,
        persisted: PersistedQueries,
        limiter: RateLimiter,
        admission: FairAdmission,
        allowed_origins: list[str],
    ) -> None:
        self._view, self._persisted = view, persisted
        self._limiter, self._admission = limiter, admission
        self._allowed_origins = allowed_origins

    async def handle(self, request: Request) -> Response:
        media = negotiate(request.headers.get("accept", ""))
        if media is None:
            return _refusal(406, "NOT_ACCEPTABLE", "accept application/graphql-response+json")
        try:
            return await self._answer(request, media)
        except ProtocolError as refused:
            status = 400 if refused.status == 200 and media == GRAPHQL_RESPONSE else refused.status
            response = _refusal(status, refused.code, refused.message, media)
            response.headers.update(refused.headers)
            return response

    async def _answer(self, request: Request, media: str) -> Response:
        check_origin(
            request.headers.get("origin"), request.headers.get("host"), self._allowed_origins
        )
        context = await self._view.get_context(request, Response())
        tenant, caller = _caller(request, context)
        self._rate_limit(caller)
        try:
            async with self._admission.slot(tenant, caller):
                return await self._execute(request, media, context)
        except Overloaded as busy:
            raise ProtocolError(
                429,
                "OVERLOADED",
                f"the gateway is busy with this tenant's requests: retry in {busy.retry_after} s",
                {"Retry-After": str(busy.retry_after)},
            ) from busy

    async def _execute(self, request: Request, media: str, context: Context) -> Response:
        params = await _params(request)
        query = self._persisted.resolve(params)
        if not query:
            raise ProtocolError(400, "BAD_REQUEST", "no GraphQL query in the request")
        allowed = QUERY_ONLY if request.method == "GET" else QUERY_OR_MUTATION
        try:
            result = await self._view.schema.execute(
                query,
                variable_values=params.variables,
                context_value=context,
                operation_name=params.operation_name,
                allowed_operation_types=allowed,
                operation_extensions=params.extensions,
            )
        except InvalidOperationTypeError as wrong:
            raise _wrong_method(wrong, request.method) from wrong
        except CannotGetOperationTypeError as unknown:
            raise ProtocolError(400, "BAD_REQUEST", unknown.as_http_error_reason()) from unknown
        response = _result(result, media)
        response.headers.update(context.response_headers)
        return response

    def _rate_limit(self, caller: str) -> None:
        wait = self._limiter.take(caller)
        if wait is not None:
            raise ProtocolError(
                429,
                "RATE_LIMITED",
                f"too many requests: retry in {wait} s",
                {"Retry-After": str(wait)},
            )


def _caller(request: Request, context: Context) -> tuple[str, str]:
    """The tenant whose share the request uses, and the caller its rate limit counts: an
    anonymous caller (a login) is its own tenant, by address."""
    who = context.principal
    client = request.client.host if request.client else None
    caller = caller_key(who.subject if who else None, who.tenant if who else None, client)
    return (f"tenant:{who.tenant}" if who and who.tenant else caller), caller


# The largest POST body read: a GraphQL document, its variables and extensions. The token limit
# (3,000) caps a document far below this; without a cap, a client could make the gateway read and
# parse megabytes of JSON before any limit saw the query.
MAX_BODY_BYTES = 256 * 1024


async def _body(request: Request) -> bytes:
    too_large = ProtocolError(413, "REQUEST_TOO_LARGE", f"the body exceeds {MAX_BODY_BYTES} bytes")
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise too_large  # refused before reading a byte of it
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY_BYTES:
            raise too_large  # a chunked body with no length, or one that lied about it
    return bytes(body)


def _wrong_method(wrong: InvalidOperationTypeError, method: str) -> ProtocolError:
    if wrong.operation_type == OperationType.SUBSCRIPTION:
        # Subscriptions run over WebSocket (graphql-transport-ws), never over plain HTTP.
        return ProtocolError(400, "SUBSCRIPTION_OVER_HTTP", "subscribe over WebSocket")
    return ProtocolError(
        405, "METHOD_NOT_ALLOWED", wrong.as_http_error_reason(method), {"Allow": "POST"}
    )


async def _params(request: Request) -> GraphQLParams:
    if request.method == "GET":
        return query_string_params(dict(request.query_params))
    if request.method == "POST":
        return body_params(request.headers.get("content-type", ""), await _body(request))
    raise ProtocolError(405, "METHOD_NOT_ALLOWED", "use GET or POST", {"Allow": "GET, POST"})


def _result(result: ExecutionResult, media: str) -> Response:
    add_codes(result.errors or [])
    body: dict[str, Any] = dict(process_result(result))
    status = 200
    if isinstance(result, PreExecutionError) and media == GRAPHQL_RESPONSE:
        # The request never reached execution (syntax, validation, limits): a request error.
        body.pop("data", None)
        status = 400
    return JSONResponse(body, status_code=status, media_type=media)


def _refusal(status: int, code: str, message: str, media: str = "application/json") -> Response:
    return JSONResponse(error_body(code, message), status_code=status, media_type=media)
