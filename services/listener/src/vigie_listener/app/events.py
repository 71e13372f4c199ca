"""The events the listener emits (contracts in protos/vigie/listener/v1/events.proto) and the
other services' events it consumes (bound to their producers' contracts)."""

from vigie.directory.v1 import events_pb2 as directory_events
from vigie.listener.v1 import events_pb2
from vigie.publisher.v1 import events_pb2 as publisher_events
from vigie.reputation.v1 import events_pb2 as reputation_events
from vigie_runtime.events import EventType

PRODUCER = "listener"

MENTION_CAPTURED = EventType(PRODUCER, "mention", "captured", events_pb2.MentionCaptured)

# protos/vigie/publisher/v1/events.proto: one publication of a brand's post went out.
POST_PUBLISHED = EventType("publisher", "post", "published", publisher_events.PostPublished)

INBOX_ITEM_OPENED = EventType(PRODUCER, "inbox", "item_opened", events_pb2.InboxItemOpened)
INBOX_ITEM_CHANGED = EventType(PRODUCER, "inbox", "item_changed", events_pb2.InboxItemChanged)
RESPONSE_BREACHED = EventType(PRODUCER, "inbox", "response_breached", events_pb2.ResponseBreached)

# protos/vigie/publisher/v1/events.proto: a reply to a mention went out.
REPLY_PUBLISHED = EventType("publisher", "reply", "published", publisher_events.ReplyPublished)

# protos/vigie/reputation/v1/events.proto: sentiment, and crises (which brands are in one).
MENTION_SCORED = EventType("reputation", "mention", "scored", reputation_events.MentionScored)
CRISIS_OPENED = EventType("reputation", "crisis", "opened", reputation_events.CrisisOpened)
CRISIS_RESOLVED = EventType("reputation", "crisis", "resolved", reputation_events.CrisisResolved)

# protos/vigie/directory/v1/events.proto: members, for assignment within a subsidiary.
MEMBER_CREATED = EventType("directory", "member", "created", directory_events.MemberChanged)
MEMBER_UPDATED = EventType("directory", "member", "updated", directory_events.MemberChanged)
MEMBER_DELETED = EventType("directory", "member", "deleted", directory_events.MemberDeleted)
