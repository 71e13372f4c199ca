"""Every GraphQL operation counted and timed for Prometheus
(`vigie_graphql_operation_duration_seconds`, by operation name, type and outcome).

Operation names are the client's choice: a label per name would let any caller grow the
gateway's memory and Prometheus' series without bound. Names that are not GraphQL names, and
names past the first MAX_OPERATION_NAMES seen, are counted as `other`.
"""

import re
import time
from collections.abc import Iterator

from strawberry.extensions import SchemaExtension
from vigie_runtime.metrics import GRAPHQL_OPERATION_DURATION

MAX_OPERATION_NAMES = 500
_GRAPHQL_NAME = re.compile(r"[_A-Za-z][_0-9A-Za-z]{0,63}")
_known_names: set[str] = set()


def operation_label(name: str | None) -> str:
    if not name:
        return "anonymous"
    if name in _known_names:
        return name
    if _GRAPHQL_NAME.fullmatch(name) and len(_known_names) < MAX_OPERATION_NAMES:
        _known_names.add(name)
        return name
    return "other"


class OperationMetrics(SchemaExtension):
    """The outermost extension: it sees refusals of the limits and validation as errors too."""

    def on_operation(self) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            context = self.execution_context
            try:
                kind = context.operation_type.value
            except Exception:  # a document that did not parse has no operation type
                kind = "unknown"
            result = context.result
            outcome = "error" if result is None or getattr(result, "errors", None) else "ok"
            GRAPHQL_OPERATION_DURATION.labels(
                operation=operation_label(context.operation_name), type=kind, outcome=outcome
            ).observe(time.perf_counter() - started)
