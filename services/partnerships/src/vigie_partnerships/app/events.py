"""The events the partnerships emit (contracts in protos/vigie/partnerships/v1/events.proto),
and the statuses as the contract spells them."""

from vigie.partnerships.v1 import events_pb2
from vigie.partnerships.v1 import resources_pb2 as pb
from vigie_runtime.events import EventType

from vigie_partnerships.domain.contracts import Status

PRODUCER = "partnerships"

CONTRACT_SIGNED = EventType(PRODUCER, "contract", "signed", events_pb2.ContractSigned)
CONTRACT_COMPLETED = EventType(PRODUCER, "contract", "completed", events_pb2.ContractCompleted)
CONTRACT_CANCELLED = EventType(PRODUCER, "contract", "cancelled", events_pb2.ContractCancelled)
DELIVERABLE_FULFILLED = EventType(
    PRODUCER, "deliverable", "fulfilled", events_pb2.DeliverableFulfilled
)
DELIVERABLE_MISSED = EventType(PRODUCER, "deliverable", "missed", events_pb2.DeliverableMissed)
# Emitted whenever a campaign's results are computed; the reputation's reports replicate them.
CAMPAIGN_RESULTS_UPDATED = EventType(
    PRODUCER, "campaign", "results_updated", events_pb2.CampaignResultsUpdated
)

STATUS_TO_PROTO = {
    Status.PROPOSED: pb.CONTRACT_STATUS_PROPOSED,
    Status.SIGNED: pb.CONTRACT_STATUS_SIGNED,
    Status.ACTIVE: pb.CONTRACT_STATUS_ACTIVE,
    Status.COMPLETED: pb.CONTRACT_STATUS_COMPLETED,
    Status.CANCELLED: pb.CONTRACT_STATUS_CANCELLED,
}
STATUS_OF_PROTO = {v: k for k, v in STATUS_TO_PROTO.items()}
DELIVERABLE_STATUS_TO_PROTO = {
    "pending": pb.DELIVERABLE_STATUS_PENDING,
    "fulfilled": pb.DELIVERABLE_STATUS_FULFILLED,
    "missed": pb.DELIVERABLE_STATUS_MISSED,
}
KINDS = {
    pb.DELIVERABLE_KIND_POST: "post",
    pb.DELIVERABLE_KIND_STORY: "story",
    pb.DELIVERABLE_KIND_VIDEO: "video",
    pb.DELIVERABLE_KIND_THREAD: "thread",
    pb.DELIVERABLE_KIND_LIVE: "live",
}
KIND_TO_PROTO = {v: k for k, v in KINDS.items()}
