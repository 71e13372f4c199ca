"""Answers of read-only dashboard queries, kept for a moment and forgotten when a fact changes them.

A dashboard is read far more often than what it shows changes. The answer of a query whose root
fields are all in CACHEABLE_FIELDS is kept per caller's authority (tenant, subject, kind, grants,
scopes and brands: two principals with different access never share an answer) + the document +
the operation name + the variables. It is forgotten, for the whole tenant, when a fact that can
change such an answer arrives over NATS (a mention captured, anything the reputation publishes:
scored mentions, index, measures, crises; a post's or the queue's status; any directory change),
when this gateway runs a mutation for the tenant, and at the latest after `max_age` seconds.

Nothing is served or stored unless the fact feed is live: before it has subscribed, and from a
NATS disconnection until the reconnection (facts sent meanwhile are lost, so everything is
forgotten then). An answer computed while its tenant's facts moved on is not stored.

Concurrent misses of one answer are computed once: right after a fact, every dashboard open at
that moment asks again, and each would otherwise run the whole query against the services.

With `stale_seconds` > 0, an answer that facts have overtaken is still served while the first fact
it does not show is at most that old, and one refresh per answer runs in the background meanwhile
(stale-while-revalidate): while mentions stream in, dashboards are served from the cache at most
`stale_seconds` behind instead of each recomputing after every fact. A mutation run by this
gateway for the tenant is never hidden that way: its caller reads its own write at once.
"""

import asyncio
import dataclasses
import hashlib
import json
import logging
import time
from collections import OrderedDict, deque
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass

import nats
from graphql import ExecutionResult as GraphQLExecutionResult
from graphql import FieldNode, OperationDefinitionNode
from nats.aio.client import Client
from nats.aio.msg import Msg
from prometheus_client import Counter, Histogram
from strawberry.extensions import SchemaExtension
from strawberry.types.graphql import OperationType
from vigie_runtime.principal import Principal

from vigie_gateway.context import Context

log = logging.getLogger(__name__)

# Root query fields whose answers the facts below cover (the brand dashboard's).
CACHEABLE_FIELDS = frozenset(
    {"reputationIndex", "measures", "shareOfVoice", "mentions", "posts", "crises", "__typename"}
)
# `vigie.<producer>.<tenant>.<entity>.<event>.v<n>`: the tenant is the third token.
INVALIDATING_SUBJECTS = (
    "vigie.listener.*.mention.>",
    "vigie.reputation.>",
    "vigie.publisher.*.post.>",
    "vigie.publisher.*.queue.>",
    "vigie.directory.>",
)

RESPONSE_CACHE = Counter(
    "vigie_graphql_response_cache_total",
    "Cacheable GraphQL queries by outcome (hit; stale: an overtaken answer served while it is "
    "refreshed; shared: a concurrent miss's answer; miss: executed), tenants' answers forgotten "
    "(invalidated) and background refreshes (refreshed).",
    ["outcome"],
)
STALENESS = Histogram(
    "vigie_graphql_response_cache_staleness_seconds",
    "How far behind the facts a stale answer was when served: the age of the first fact it "
    "does not show.",
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 0.75, 1.0, 2.0, 5.0),
)


_Answer = GraphQLExecutionResult | None


@dataclass(frozen=True)
class _Entry:
    result: GraphQLExecutionResult
    stored_at: float
    epoch: int
    generation: int


class ResponseCache:
    def __init__(
        self,
        max_age_seconds: float,
        capacity: int,
        stale_seconds: float = 0.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.max_age, self.capacity, self.stale_seconds = max_age_seconds, capacity, stale_seconds
        self._clock = clock
        self.live = False  # the fact feed is subscribed and connected
        self._epoch = 0  # bumped when facts may have been missed: forgets every tenant
        self._generations: dict[str, int] = {}  # tenant -> bumped by each of its facts
        # tenant -> (generation a fact made, when), the last `stale_seconds` of them: how long
        # ago an answer was overtaken.
        self._changes: dict[str, deque[tuple[int, float]]] = {}
        # tenant -> generation of its last mutation here: older answers are never served stale.
        self._floors: dict[str, int] = {}
        self._entries: OrderedDict[tuple[str, str], _Entry] = OrderedDict()
        # Answers being computed, by (tenant, key, version): the followers await the leader's.
        self._pending: dict[tuple[str, str, tuple[int, int]], asyncio.Future[_Answer]] = {}
        self._refreshing: dict[tuple[str, str], asyncio.Task[None]] = {}

    def version(self, tenant: str) -> tuple[int, int]:
        return self._epoch, self._generations.get(tenant, 0)

    def get(self, tenant: str, key: str) -> GraphQLExecutionResult | None:
        entry = self._entries.get((tenant, key))
        if entry is None or not self.live:
            return None
        if self._clock() - entry.stored_at >= self.max_age:
            del self._entries[(tenant, key)]
            return None
        if (entry.epoch, entry.generation) != self.version(tenant):
            if self.stale_seconds <= 0:  # else it may still be served stale
                del self._entries[(tenant, key)]
            return None
        return entry.result

    def get_stale(self, tenant: str, key: str) -> tuple[GraphQLExecutionResult, float] | None:
        """An answer facts have overtaken, and how long ago (seconds), if it may still be
        served: the first fact it does not show is at most `stale_seconds` old, no mutation ran
        here since it was computed, and it is within its maximum age."""
        entry = self._entries.get((tenant, key))
        if entry is None or not self.live or self.stale_seconds <= 0:
            return None
        now = self._clock()
        if entry.epoch != self._epoch or now - entry.stored_at >= self.max_age:
            return None
        if entry.generation < self._floors.get(tenant, 0):
            return None
        overtaken = self._overtaken_at(tenant, entry.generation)
        if overtaken is None or now - overtaken > self.stale_seconds:
            return None
        return entry.result, now - overtaken

    def _overtaken_at(self, tenant: str, generation: int) -> float | None:
        """When the fact after `generation` came (None: longer ago than the changes kept)."""
        for reached, at in self._changes.get(tenant, ()):
            if reached == generation + 1:
                return at
            if reached > generation + 1:
                return None
        return None

    def put(
        self, tenant: str, key: str, result: GraphQLExecutionResult, seen: tuple[int, int]
    ) -> None:
        """Stores `result`, computed from the facts of version `seen`: if still current, or,
        when stale answers may be served, if no newer one is kept and no mutation ran since."""
        if not self.live or seen[0] != self._epoch:
            return
        if seen != self.version(tenant):
            if self.stale_seconds <= 0 or seen[1] < self._floors.get(tenant, 0):
                return
            kept = self._entries.get((tenant, key))
            if kept is not None and kept.generation > seen[1]:
                return
        self._entries[(tenant, key)] = _Entry(result, self._clock(), *seen)
        self._entries.move_to_end((tenant, key))
        while len(self._entries) > self.capacity:
            self._entries.popitem(last=False)

    async def follow_or_lead(
        self, tenant: str, key: str, seen: tuple[int, int]
    ) -> tuple[GraphQLExecutionResult | None, asyncio.Future[_Answer] | None]:
        """A computation of this answer already running: its result (None if it failed), and no
        future. Otherwise no result and the future this caller must settle with `settle`."""
        running = self._pending.get((tenant, key, seen))
        if running is not None:
            return await asyncio.shield(running), None
        future: asyncio.Future[_Answer] = asyncio.get_running_loop().create_future()
        self._pending[(tenant, key, seen)] = future
        return None, future

    def settle(
        self,
        tenant: str,
        key: str,
        seen: tuple[int, int],
        future: asyncio.Future[_Answer],
        result: _Answer,
    ) -> None:
        self._pending.pop((tenant, key, seen), None)
        if not future.done():
            future.set_result(result)
        if result is not None:
            self.put(tenant, key, result, seen)

    def refresh(self, tenant: str, key: str, run: Callable[[], Awaitable[None]]) -> None:
        """Runs `run` (which recomputes and puts the answer) in the background, unless a refresh
        of this answer is already running or the kept answer is younger than half the stale
        window: while facts stream in, each answer is recomputed about twice per window rather
        than back to back (each refresh takes the gateway's CPU from the requests it serves),
        and what is served stays within the window."""
        if (tenant, key) in self._refreshing:
            return
        kept = self._entries.get((tenant, key))
        if kept is not None and self._clock() - kept.stored_at < self.stale_seconds / 2:
            return

        async def refreshing() -> None:
            try:
                await run()
                RESPONSE_CACHE.labels(outcome="refreshed").inc()
            except Exception:  # the next request tries again; nothing waits on this
                log.warning("response cache: a background refresh failed", exc_info=True)
            finally:
                self._refreshing.pop((tenant, key), None)

        self._refreshing[(tenant, key)] = asyncio.get_running_loop().create_task(refreshing())

    def invalidate(self, tenant: str, mutation: bool = False) -> None:
        """A fact of `tenant` came (or, `mutation`, this gateway changed something of it)."""
        generation = self._generations[tenant] = self._generations.get(tenant, 0) + 1
        if mutation:
            self._floors[tenant] = generation
        if self.stale_seconds > 0:
            now = self._clock()
            changes = self._changes.setdefault(tenant, deque())
            changes.append((generation, now))
            while changes and now - changes[0][1] > self.stale_seconds:
                changes.popleft()
        RESPONSE_CACHE.labels(outcome="invalidated").inc()

    def forget_all(self) -> None:
        self._epoch += 1
        self._entries.clear()

    async def follow_facts(self, nats_url: str) -> None:
        """Runs until cancelled: subscribes to the facts, and keeps `live` true only while the
        subscription is connected."""
        connection = await self._connect(nats_url)
        try:
            for subject in INVALIDATING_SUBJECTS:
                await connection.subscribe(subject, cb=self._on_fact)
            await connection.flush(timeout=5)
            self.live = connection.is_connected
            await asyncio.Event().wait()
        finally:
            self.live = False
            await connection.close()

    async def _connect(self, nats_url: str) -> Client:
        async def lost() -> None:
            self.live = False

        async def back() -> None:
            self.forget_all()
            self.live = True

        delay = 0.1
        while True:
            try:
                return await nats.connect(
                    nats_url,
                    name="vigie-gateway-response-cache",
                    allow_reconnect=True,
                    max_reconnect_attempts=-1,
                    reconnect_time_wait=0.5,
                    connect_timeout=2,
                    disconnected_cb=lost,
                    reconnected_cb=back,
                )
            except Exception as error:  # NATS not up yet: no cache meanwhile
                log.info("response cache: NATS not reachable (%s), retrying", error)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5.0)

    async def _on_fact(self, message: Msg) -> None:
        tokens = message.subject.split(".")
        if len(tokens) > 2:
            self.invalidate(tokens[2])


def authority(principal: Principal) -> str:
    """Everything the answer can depend on about the caller, so only equals share it."""
    return json.dumps(
        [
            principal.tenant,
            principal.subject,
            principal.kind.value,
            sorted([g.role.value, g.subsidiary or ""] for g in principal.grants),
            sorted(principal.scopes),
            sorted(principal.brands),
        ]
    )


def _root_fields_cacheable(operation: OperationDefinitionNode) -> bool:
    selections = operation.selection_set.selections
    return all(isinstance(s, FieldNode) and s.name.value in CACHEABLE_FIELDS for s in selections)


class ResponseCacheExtension(SchemaExtension):
    """Serves a kept answer instead of executing, or keeps the answer it let execute."""

    def __init__(self, cache: ResponseCache) -> None:
        self.cache = cache

    async def on_execute(self) -> AsyncIterator[None]:
        execution = self.execution_context
        context = execution.context
        principal: Principal | None = getattr(context, "principal", None)
        if principal is None or getattr(context, "refusal", None) is not None:
            yield
            return
        tenant = principal.tenant
        if execution.operation_type is OperationType.MUTATION:
            yield
            self.cache.invalidate(tenant, mutation=True)  # the caller reads its own writes at once
            return
        key = self._key(principal)
        if key is None:
            yield
            return
        seen = self.cache.version(tenant)
        if getattr(context, "cache_refresh", False):  # a background refresh: execute and keep
            yield
            refreshed = self._answer()
            if refreshed is not None:
                self.cache.put(tenant, key, refreshed, seen)
            return
        cached = self.cache.get(tenant, key)
        outcome, leading = "hit", None
        if cached is None:
            stale = self.cache.get_stale(tenant, key)
            if stale is not None and isinstance(context, Context):
                cached, outcome = stale[0], "stale"
                STALENESS.observe(stale[1])
                self.cache.refresh(tenant, key, self._refresher(context))
        if cached is None:
            cached, leading = await self.cache.follow_or_lead(tenant, key, seen)
            outcome = "shared" if cached is not None else "miss"
        RESPONSE_CACHE.labels(outcome=outcome).inc()
        if cached is not None:
            execution.result = cached  # Strawberry skips execution when a result is set
            yield
            return
        answer: _Answer = None
        try:
            yield
            answer = self._answer()
        finally:
            # The followers get the answer, or None on a failure (then each computes its own).
            if leading is not None:
                self.cache.settle(tenant, key, seen, leading, answer)

    def _answer(self) -> _Answer:
        """The execution's result if it may be kept: no error, no header for this response."""
        result = self.execution_context.result
        headers = getattr(self.execution_context.context, "response_headers", None)
        if isinstance(result, GraphQLExecutionResult) and not result.errors and not headers:
            return result
        return None

    def _refresher(self, context: Context) -> Callable[[], Awaitable[None]]:
        """The same operation run again for the same caller, in a context of its own (fresh
        DataLoaders), marked as a refresh so this extension executes and keeps it."""
        execution = self.execution_context
        query, variables, name = execution.query, execution.variables, execution.operation_name

        async def run() -> None:
            # Made here, not per stale request: most of those find a refresh running or too soon.
            again = dataclasses.replace(
                context, loaders={}, response_headers={}, cache_refresh=True
            )
            await execution.schema.execute(
                query, variable_values=variables, context_value=again, operation_name=name
            )

        return run

    def _key(self, principal: Principal) -> str | None:
        execution = self.execution_context
        if execution.operation_type is not OperationType.QUERY or not self.cache.live:
            return None
        document = execution.graphql_document
        operations = [
            d
            for d in (document.definitions if document else ())
            if isinstance(d, OperationDefinitionNode)
        ]
        name = execution.operation_name
        chosen = [o for o in operations if name is None or (o.name and o.name.value == name)]
        if len(chosen) != 1 or not _root_fields_cacheable(chosen[0]):
            return None
        material = json.dumps(
            [authority(principal), execution.query, name, execution.variables or {}],
            sort_keys=True,
            default=str,
        )
        return hashlib.sha256(material.encode()).hexdigest()
