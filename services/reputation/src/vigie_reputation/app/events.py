"""The reputation's events (protos/vigie/reputation/v1/events.proto), bound to their subjects,
and the events of the listener and the publisher it consumes."""

from vigie.listener.v1 import events_pb2 as listener_events
from vigie.partnerships.v1 import events_pb2 as partnerships_events
from vigie.publisher.v1 import events_pb2 as publisher_events
from vigie.reputation.v1 import events_pb2
from vigie_runtime.events import EventType

MENTION_CAPTURED = EventType("listener", "mention", "captured", listener_events.MentionCaptured)
# Campaign results, replicated for reports.
CAMPAIGN_RESULTS_UPDATED = EventType(
    "partnerships", "campaign", "results_updated", partnerships_events.CampaignResultsUpdated
)
ACCOUNT_SNAPSHOTTED = EventType(
    "publisher", "account", "snapshotted", publisher_events.AccountSnapshotted
)

MENTION_SCORED = EventType("reputation", "mention", "scored", events_pb2.MentionScored)
INDEX_UPDATED = EventType("reputation", "index", "updated", events_pb2.IndexUpdated)
CRISIS_OPENED = EventType("reputation", "crisis", "opened", events_pb2.CrisisOpened)
CRISIS_ESCALATED = EventType("reputation", "crisis", "escalated", events_pb2.CrisisEscalated)
CRISIS_RESOLVED = EventType("reputation", "crisis", "resolved", events_pb2.CrisisResolved)
ALERT_FIRED = EventType("reputation", "alert", "fired", events_pb2.AlertFired)
BEST_TIMES_UPDATED = EventType("reputation", "best_times", "updated", events_pb2.BestTimesUpdated)

# Crisis response: playbooks applied, people notified, statements approved, rooms changed.
STATEMENT_APPROVED = EventType("reputation", "statement", "approved", events_pb2.StatementApproved)
CRISIS_NOTIFIED = EventType("reputation", "crisis", "notified", events_pb2.CrisisNotified)
CRISIS_ROOM_CHANGED = EventType(
    "reputation", "crisis_room", "changed", events_pb2.CrisisRoomChanged
)
# What the publisher did about a crisis, recorded in its room.
QUEUE_HELD = EventType("publisher", "queue", "held", publisher_events.QueueHeld)
QUEUE_RELEASED = EventType("publisher", "queue", "released", publisher_events.QueueReleased)
POST_PUBLISHED = EventType("publisher", "post", "published", publisher_events.PostPublished)
