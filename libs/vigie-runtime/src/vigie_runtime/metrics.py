"""Metrics for Prometheus: the series every Vigie process exports, and its /metrics endpoint.

Names follow Prometheus conventions (base units, `_total` counters) and, where one exists, the
OpenTelemetry semantic name: `rpc.server.duration` is `vigie_rpc_server_duration_seconds`, whose
`service`, `method` and `code` labels are `rpc.service`, `rpc.method` and
`rpc.grpc.status_code` (as a name). Request rate and error rate are its `_count` by `code`.

Other series carry `service`, the Vigie service (`listener`), and what they are about (`durable`
for a JetStream consumer). Services declare their own latencies of the data path with
`pipeline_latency` (`vigie_capture_to_score_seconds`, ...), so this module names no domain word.

One process, one registry, one endpoint: `VIGIE_METRICS_ADDRESS` (`host:port`; empty: no
endpoint; port 0: a free port, for tests).
"""

import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from wsgiref.simple_server import WSGIServer

from prometheus_client import (
    REGISTRY,
    Counter,
    Gauge,
    Histogram,
    disable_created_metrics,
    start_http_server,
)

# `_created` series double every counter and histogram and no alert reads them.
disable_created_metrics()  # type: ignore[no-untyped-call]

# An RPC is milliseconds; the data path (a mention captured, scored, alerted) is seconds to
# minutes behind, so its buckets reach further.
RPC_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
PIPELINE_BUCKETS = (0.1, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0, 900.0, 3600.0)

RPC_SERVER_DURATION = Histogram(
    "vigie_rpc_server_duration_seconds",
    "gRPC calls served, by service, method and status code, and how long each took.",
    ["service", "method", "code"],
    buckets=RPC_BUCKETS,
)
GRAPHQL_OPERATION_DURATION = Histogram(
    "vigie_graphql_operation_duration_seconds",
    "GraphQL operations executed by the gateway, by operation name, type and outcome.",
    ["operation", "type", "outcome"],
    buckets=RPC_BUCKETS,
)
OUTBOX_PENDING = Gauge(
    "vigie_outbox_pending_events",
    "Events committed in the outbox and not yet acknowledged by JetStream.",
    ["service"],
)
OUTBOX_OLDEST_AGE = Gauge(
    "vigie_outbox_oldest_pending_age_seconds",
    "Age of the oldest outbox event not yet published (0 when none waits).",
    ["service"],
)
OUTBOX_PUBLISHED = Counter(
    "vigie_outbox_published_events_total",
    "Outbox events acknowledged by JetStream, by this process's relay.",
    ["service"],
)
CONSUMER_PENDING = Gauge(
    "vigie_consumer_pending_messages",
    "Messages of the stream the durable consumer has not been delivered yet (num_pending).",
    ["service", "durable"],
)
CONSUMER_ACK_PENDING = Gauge(
    "vigie_consumer_ack_pending_messages",
    "Messages delivered to the durable consumer and not acknowledged yet (num_ack_pending).",
    ["service", "durable"],
)
CONSUMER_EVENTS = Counter(
    "vigie_consumer_events_total",
    "Events a consumer settled: applied, duplicate (already applied) or dead_lettered.",
    ["service", "durable", "outcome"],
)
CONSUMER_REDELIVERIES = Counter(
    "vigie_consumer_redeliveries_total",
    "Messages received again by a consumer (delivery count above 1).",
    ["service", "durable"],
)
DEAD_LETTERS = Gauge(
    "vigie_dead_letters",
    "Dead letters in the service's table not retried yet, by consumer.",
    ["service", "durable"],
)


def pipeline_latency(name: str, documentation: str) -> "PipelineLatency":
    """A histogram of how long after a moment (a capture, a due time) something happened."""
    return PipelineLatency(Histogram(name, documentation, ["service"], buckets=PIPELINE_BUCKETS))


@dataclass(frozen=True)
class PipelineLatency:
    histogram: Histogram

    def observe_since(self, service: str, moment: datetime, now: datetime | None = None) -> None:
        """Records now - moment; a moment in the future (clock skew) counts as 0."""
        moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
        elapsed = ((now or datetime.now(UTC)) - moment).total_seconds()
        self.histogram.labels(service=service).observe(max(elapsed, 0.0))


class MetricsEndpoint:
    """The process's /metrics over HTTP, in a thread of its own (prometheus_client's server)."""

    def __init__(self, server: WSGIServer, thread: threading.Thread) -> None:
        self._server = server
        self._thread = thread
        self.port = int(server.server_port)

    @classmethod
    def start(cls, address: str) -> "MetricsEndpoint | None":
        """Serves on `host:port`; nothing when the address is empty."""
        if not address.strip():
            return None
        host, _, port = address.rpartition(":")
        server, thread = start_http_server(int(port), addr=host or "0.0.0.0", registry=REGISTRY)  # noqa: S104 - a bare port means every interface
        return cls(server, thread)

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
