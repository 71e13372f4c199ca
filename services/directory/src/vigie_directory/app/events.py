"""The events the directory emits (contracts in protos/vigie/directory/v1/events.proto)."""

from vigie.directory.v1 import events_pb2
from vigie_runtime.events import EventType

PRODUCER = "directory"

SUBSIDIARY_CREATED = EventType(PRODUCER, "subsidiary", "created", events_pb2.SubsidiaryChanged)
SUBSIDIARY_UPDATED = EventType(PRODUCER, "subsidiary", "updated", events_pb2.SubsidiaryChanged)
BRAND_CREATED = EventType(PRODUCER, "brand", "created", events_pb2.BrandCreated)
BRAND_UPDATED = EventType(PRODUCER, "brand", "updated", events_pb2.BrandUpdated)
BRAND_DELETED = EventType(PRODUCER, "brand", "deleted", events_pb2.BrandDeleted)
MEMBER_CREATED = EventType(PRODUCER, "member", "created", events_pb2.MemberChanged)
MEMBER_UPDATED = EventType(PRODUCER, "member", "updated", events_pb2.MemberChanged)
MEMBER_DELETED = EventType(PRODUCER, "member", "deleted", events_pb2.MemberDeleted)
PARTNER_CLIENT_REVOKED = EventType(
    PRODUCER, "partner_client", "revoked", events_pb2.PartnerClientRevoked
)
