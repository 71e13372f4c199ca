"""Span names and attributes of NATS messaging, after the OpenTelemetry messaging conventions.

A span is named `<operation> <destination template>`: the subject carries the tenant, so the
subject itself would make one span name per tenant; the template (`vigie.listener.{tenant}.
mention.captured.v1`) keeps names few, and the subject stays in `messaging.destination.name`.
"""

from collections.abc import Mapping
from typing import Literal

from opentelemetry.util.types import AttributeValue

Operation = Literal["publish", "process"]
# `messaging.operation.type` for each NATS operation Vigie traces (publish is a `send`).
_OPERATION_TYPES: Mapping[Operation, str] = {"publish": "send", "process": "process"}


def subject_template(subject: str) -> str:
    """`vigie.<producer>.<tenant>.<entity>.<event>.v<n>` with `{tenant}` for the tenant."""
    parts = subject.split(".")
    if len(parts) >= 3 and parts[0] == "vigie":
        parts[2] = "{tenant}"
    return ".".join(parts)


def messaging_span(
    operation: Operation,
    subject: str,
    message_id: str,
    tenant: str,
    consumer_group: str | None = None,
) -> tuple[str, dict[str, AttributeValue]]:
    """The name and attributes of a span that publishes or processes one event."""
    template = subject_template(subject)
    attributes: dict[str, AttributeValue] = {
        "messaging.system": "nats",
        "messaging.operation.name": operation,
        "messaging.operation.type": _OPERATION_TYPES[operation],
        "messaging.destination.name": subject,
        "messaging.destination.template": template,
        "messaging.message.id": message_id,
        "vigie.tenant": tenant,
    }
    if consumer_group is not None:
        attributes["messaging.consumer.group.name"] = consumer_group
    return f"{operation} {template}", attributes
