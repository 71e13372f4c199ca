"""OpenTelemetry from the standard `OTEL_*` variables.

Traces are always produced (so logs carry trace ids and context crosses gRPC and NATS); they are
exported over OTLP/HTTP when `OTEL_EXPORTER_OTLP_ENDPOINT` (or the traces variant) is set, to the
console when `OTEL_TRACES_EXPORTER=console`, and nowhere otherwise.
"""

import os

from opentelemetry import trace
from opentelemetry.context import Context
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import Span, SpanProcessor, TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, ConsoleSpanExporter

_configured = False


def configure_telemetry(service: str, processors: list[SpanProcessor] | None = None) -> None:
    """Install one tracer provider per process; later calls only add processors."""
    global _configured  # noqa: PLW0603 - one provider per process, by OpenTelemetry's design
    provider = trace.get_tracer_provider()
    if not _configured or not isinstance(provider, TracerProvider):
        if os.environ.get("OTEL_SDK_DISABLED", "").lower() == "true":
            return
        name = os.environ.get("OTEL_SERVICE_NAME", service)
        provider = TracerProvider(resource=Resource.create({"service.name": name}))
        provider.add_span_processor(RpcSpanNames())
        for processor in _exporters_from_environment():
            provider.add_span_processor(processor)
        trace.set_tracer_provider(provider)
        _configured = True
        _instrument_libraries()
    for processor in processors or []:
        provider.add_span_processor(processor)


class RpcSpanNames(SpanProcessor):
    """Names gRPC spans `package.Service/Method`, as the RPC conventions say: the gRPC
    instrumentation names them by the HTTP/2 path, with its leading slash. It runs first, when
    the span starts, so every exporter sees the conventional name."""

    def on_start(self, span: Span, parent_context: Context | None = None) -> None:
        attributes = span.attributes or {}
        if attributes.get("rpc.system") == "grpc" and span.name.startswith("/"):
            span.update_name(span.name[1:])


def _exporters_from_environment() -> list[SpanProcessor]:
    chosen = os.environ.get("OTEL_TRACES_EXPORTER", "otlp")
    endpoint = os.environ.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") or os.environ.get(
        "OTEL_EXPORTER_OTLP_ENDPOINT"
    )
    if chosen == "console":
        return [BatchSpanProcessor(ConsoleSpanExporter())]
    if chosen == "otlp" and endpoint:
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        return [BatchSpanProcessor(OTLPSpanExporter())]
    return []


def _instrument_libraries() -> None:
    from opentelemetry.instrumentation.grpc import (
        GrpcAioInstrumentorClient,
        GrpcAioInstrumentorServer,
    )

    GrpcAioInstrumentorServer().instrument()  # type: ignore[no-untyped-call]
    GrpcAioInstrumentorClient().instrument()  # type: ignore[no-untyped-call]


def tracer(name: str) -> trace.Tracer:
    return trace.get_tracer(name)
