"""The events the listener emits (contracts in protos/vigie/listener/v1/events.proto) and the
other services' events it consumes (bound to their producers' contracts)."""

from vigie.listener.v1 import events_pb2
from vigie.publisher.v1 import events_pb2 as publisher_events
from vigie_runtime.events import EventType

PRODUCER = "listener"

MENTION_CAPTURED = EventType(PRODUCER, "mention", "captured", events_pb2.MentionCaptured)

# protos/vigie/publisher/v1/events.proto: one publication of a brand's post went out.
POST_PUBLISHED = EventType("publisher", "post", "published", publisher_events.PostPublished)
