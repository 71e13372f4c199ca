"""The events a live subscription listens to: the producers' contracts, bound to subjects."""

from vigie.listener.v1 import events_pb2 as listener
from vigie.partnerships.v1 import events_pb2 as partnerships
from vigie.publisher.v1 import events_pb2 as publisher
from vigie.reputation.v1 import events_pb2 as reputation
from vigie_runtime.events import EventType

MENTION_CAPTURED = EventType("listener", "mention", "captured", listener.MentionCaptured)
MENTION_SCORED = EventType("reputation", "mention", "scored", reputation.MentionScored)

CRISIS_OPENED = EventType("reputation", "crisis", "opened", reputation.CrisisOpened)
CRISIS_ESCALATED = EventType("reputation", "crisis", "escalated", reputation.CrisisEscalated)
CRISIS_RESOLVED = EventType("reputation", "crisis", "resolved", reputation.CrisisResolved)

POST_SUBMITTED = EventType("publisher", "post", "submitted", publisher.PostSubmitted)
POST_APPROVED = EventType("publisher", "post", "approved", publisher.PostApproved)
POST_SCHEDULED = EventType("publisher", "post", "scheduled", publisher.PostScheduled)
POST_PUBLISHED = EventType("publisher", "post", "published", publisher.PostPublished)
POST_FAILED = EventType("publisher", "post", "failed", publisher.PostFailed)

DELIVERABLE_FULFILLED = EventType(
    "partnerships", "deliverable", "fulfilled", partnerships.DeliverableFulfilled
)
DELIVERABLE_MISSED = EventType(
    "partnerships", "deliverable", "missed", partnerships.DeliverableMissed
)
