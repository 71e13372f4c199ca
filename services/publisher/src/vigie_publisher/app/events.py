"""The events the publisher emits (contracts in protos/vigie/publisher/v1/events.proto)."""

from vigie.publisher.v1 import events_pb2 as e
from vigie_runtime.events import EventType

PRODUCER = "publisher"

POST_SUBMITTED = EventType(PRODUCER, "post", "submitted", e.PostSubmitted)
POST_APPROVED = EventType(PRODUCER, "post", "approved", e.PostApproved)
POST_SCHEDULED = EventType(PRODUCER, "post", "scheduled", e.PostScheduled)
POST_PUBLISHED = EventType(PRODUCER, "post", "published", e.PostPublished)
POST_FAILED = EventType(PRODUCER, "post", "failed", e.PostFailed)
QUEUE_HELD = EventType(PRODUCER, "queue", "held", e.QueueHeld)
QUEUE_RELEASED = EventType(PRODUCER, "queue", "released", e.QueueReleased)
ACCOUNT_TOKEN_EXPIRING = EventType(PRODUCER, "account", "token_expiring", e.AccountTokenExpiring)
ACCOUNT_DISCONNECTED = EventType(PRODUCER, "account", "disconnected", e.AccountDisconnected)
ACCOUNT_SNAPSHOTTED = EventType(PRODUCER, "account", "snapshotted", e.AccountSnapshotted)
REPLY_PUBLISHED = EventType(PRODUCER, "reply", "published", e.ReplyPublished)
REPLY_FAILED = EventType(PRODUCER, "reply", "failed", e.ReplyFailed)
