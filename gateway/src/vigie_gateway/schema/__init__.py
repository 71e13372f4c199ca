"""The one schema: every service's queries and mutations, with limits and caches."""

import logging
from contextlib import aclosing
from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.extensions import (
    AddValidationRules,
    DisableIntrospection,
    MaskErrors,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    SchemaExtension,
    ValidationCache,
)
from strawberry.schema.schema import StreamResult
from strawberry.types import ExecutionContext

from vigie_gateway.config import Settings
from vigie_gateway.errors import SAFE_EXTENSION
from vigie_gateway.http.cost import CostLimiter
from vigie_gateway.http.operation_metrics import OperationMetrics
from vigie_gateway.live.subscriptions import Subscription
from vigie_gateway.response_cache import ResponseCache, ResponseCacheExtension
from vigie_gateway.schema.directory_mutations import DirectoryMutation
from vigie_gateway.schema.directory_queries import DirectoryQuery
from vigie_gateway.schema.listener_inbox import ListenerInboxMutation, ListenerInboxQuery
from vigie_gateway.schema.listener_mutations import ListenerMutation
from vigie_gateway.schema.listener_queries import ListenerQuery
from vigie_gateway.schema.listener_sources import ListenerSourcesMutation, ListenerSourcesQuery
from vigie_gateway.schema.node import NodeQuery
from vigie_gateway.schema.partnerships_mutations import PartnershipsMutation
from vigie_gateway.schema.partnerships_queries import PartnershipsQuery
from vigie_gateway.schema.publisher_mutations import PublisherMutation
from vigie_gateway.schema.publisher_presence import (
    PublisherPresenceMutation,
    PublisherPresenceQuery,
)
from vigie_gateway.schema.publisher_queries import PublisherQuery
from vigie_gateway.schema.publisher_replies import (
    PublisherRepliesMutation,
    PublisherRepliesQuery,
)
from vigie_gateway.schema.reputation_best_times import ReputationBestTimesQuery
from vigie_gateway.schema.reputation_crisis_response import (
    CrisisResponseMutation,
    CrisisResponseQuery,
)
from vigie_gateway.schema.reputation_mutations import ReputationMutation
from vigie_gateway.schema.reputation_presence import ReputationPresenceQuery
from vigie_gateway.schema.reputation_queries import ReputationQuery
from vigie_gateway.schema.reputation_reports import (
    ReputationReportsMutation,
    ReputationReportsQuery,
)

log = logging.getLogger(__name__)


@strawberry.type(description="Everything a front end can read.")
class Query(
    NodeQuery,
    DirectoryQuery,
    ListenerQuery,
    ListenerSourcesQuery,
    ListenerInboxQuery,
    ReputationQuery,
    ReputationBestTimesQuery,
    ReputationPresenceQuery,
    ReputationReportsQuery,
    CrisisResponseQuery,
    PartnershipsQuery,
    PublisherQuery,
    PublisherPresenceQuery,
    PublisherRepliesQuery,
):
    pass


@strawberry.type(description="Everything a front end can change.")
class Mutation(
    DirectoryMutation,
    ListenerMutation,
    ListenerSourcesMutation,
    ListenerInboxMutation,
    ReputationMutation,
    ReputationReportsMutation,
    CrisisResponseMutation,
    PartnershipsMutation,
    PublisherMutation,
    PublisherPresenceMutation,
    PublisherRepliesMutation,
):
    pass


def _is_expected(error: GraphQLError) -> bool:
    """Our own refusals and the client's mistakes (syntax, validation, limits)."""
    extensions = error.extensions or {}
    return bool(extensions.get(SAFE_EXTENSION)) or error.original_error is None


def _mask(error: GraphQLError) -> bool:
    return not _is_expected(error)


class VigieSchema(strawberry.Schema):
    async def stream(self, *args: Any, **kwargs: Any) -> StreamResult:
        # Subscriptions (and other streamed operations) yield one result per event after the
        # extensions' per-result hooks ran; _StripSafeMarker only sees a query's single result,
        # so the marker is stripped here, once MaskErrors has read it.
        return _without_safe_marker(await super().stream(*args, **kwargs))

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        # Refusals are normal traffic: log them briefly; only surprises get a traceback.
        for error in errors:
            if _is_expected(error):
                log.info("graphql refusal: %s", error.message)
            else:
                log.error("graphql failure", exc_info=error.original_error)


class _StripSafeMarker(SchemaExtension):
    """Removes the internal marker from error extensions before they reach the client."""

    def on_operation(self) -> Any:
        yield
        _strip_safe_marker(getattr(self.execution_context.result, "errors", None))


async def _without_safe_marker(results: StreamResult) -> StreamResult:
    async with aclosing(results):
        async for result in results:
            _strip_safe_marker(getattr(result, "errors", None))
            yield result


def _strip_safe_marker(errors: list[GraphQLError] | None) -> None:
    for error in errors or []:
        if error.extensions:
            error.extensions.pop(SAFE_EXTENSION, None)


def build_schema(settings: Settings, cache: ResponseCache | None = None) -> strawberry.Schema:
    # The depth and alias rules are classes made once: a limiter made per operation makes new
    # ones, a new ValidationCache key each time, and every request was validated again.
    limits = [
        *QueryDepthLimiter(max_depth=settings.max_depth).validation_rules,
        *MaxAliasesLimiter(max_alias_count=settings.max_aliases).validation_rules,
    ]
    # Factories, so each operation gets fresh extension instances; the caches are module-level.
    extensions: list[Any] = [
        OperationMetrics,
        lambda: AddValidationRules(limits),
        lambda: MaxTokensLimiter(max_token_count=settings.max_tokens),
        lambda: CostLimiter(max_cost=settings.max_cost),
        ParserCache,
        ValidationCache,
        # Outer to inner: the marker is stripped only after MaskErrors has read it.
        _StripSafeMarker,
        lambda: MaskErrors(should_mask_error=_mask, error_message="internal error"),
    ]
    if settings.production:
        extensions.append(DisableIntrospection)
    if cache is not None:
        # Innermost: it runs after the limits and validation, and replaces execution alone.
        extensions.append(lambda: ResponseCacheExtension(cache))
    return VigieSchema(
        query=Query, mutation=Mutation, subscription=Subscription, extensions=extensions
    )
