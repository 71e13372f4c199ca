"""Event types, subjects and the CloudEvents 1.0 binary-mode envelope over NATS headers.

Subject: `vigie.<producer>.<tenant>.<entity>.<action>.v<major>`; one stream per producer
(`VIGIE_<PRODUCER>` over `vigie.<producer>.>`), so a consumer or a live feed needs one wildcard.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Generic, TypeVar

from google.protobuf.message import DecodeError, Message

M = TypeVar("M", bound=Message)

SPEC_VERSION = "1.0"
CONTENT_TYPE = "application/protobuf"


def stream_name(producer: str) -> str:
    return f"VIGIE_{producer.upper()}"


@dataclass(frozen=True)
class EventType(Generic[M]):
    producer: str
    entity: str
    action: str
    message: type[M]
    version: int = 1

    @property
    def ce_type(self) -> str:
        return f"vigie.{self.producer}.{self.entity}.{self.action}.v{self.version}"

    @property
    def stream(self) -> str:
        return stream_name(self.producer)

    def subject(self, tenant: str) -> str:
        return f"vigie.{self.producer}.{tenant}.{self.entity}.{self.action}.v{self.version}"

    def subject_filter(self, tenant: str = "*") -> str:
        return self.subject(tenant)

    def parse(self, event: "IncomingEvent") -> M:
        if event.type != self.ce_type:
            raise ValueError(f"expected {self.ce_type}, got {event.type}")
        message = self.message()
        try:
            message.ParseFromString(event.payload)
        except DecodeError as error:
            raise ValueError(f"payload of {event.id} is not a {self.ce_type}") from error
        return message


@dataclass(frozen=True)
class IncomingEvent:
    id: str
    type: str
    source: str
    tenant: str
    time: datetime
    subject: str
    payload: bytes
    headers: dict[str, str]

    @classmethod
    def from_nats(
        cls, subject: str, headers: dict[str, str] | None, payload: bytes
    ) -> "IncomingEvent":
        """Reads the CloudEvents attributes; raises ValueError when one is missing or invalid."""
        headers = dict(headers or {})
        try:
            return cls(
                id=headers["ce-id"],
                type=headers["ce-type"],
                source=headers["ce-source"],
                tenant=headers["ce-tenant"],
                time=datetime.fromisoformat(headers["ce-time"]),
                subject=subject,
                payload=payload,
                headers=headers,
            )
        except KeyError as missing:
            raise ValueError(f"CloudEvents header {missing} is missing") from None


def cloudevent_headers(
    event_id: str, ce_type: str, producer: str, tenant: str, time: datetime
) -> dict[str, str]:
    return {
        "ce-specversion": SPEC_VERSION,
        "ce-id": event_id,
        "ce-type": ce_type,
        "ce-source": f"/vigie/{producer}",
        "ce-time": time.isoformat(),
        "ce-tenant": tenant,
        "content-type": CONTENT_TYPE,
        # JetStream drops a second message with the same id inside the duplicate window.
        "Nats-Msg-Id": event_id,
    }
