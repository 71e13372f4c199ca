"""The events the listener emits (contracts in protos/vigie/listener/v1/events.proto)."""

from vigie.listener.v1 import events_pb2
from vigie_runtime.events import EventType

PRODUCER = "listener"

MENTION_CAPTURED = EventType(PRODUCER, "mention", "captured", events_pb2.MentionCaptured)
