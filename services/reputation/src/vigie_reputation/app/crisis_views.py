"""Crisis rows -> protos."""

from google.protobuf import json_format
from vigie.reputation.v1 import resources_pb2 as pb

from vigie_reputation.adapters.orm import CrisisRow
from vigie_reputation.app.views import brand_name, stamp

SEVERITIES = {
    "watch": pb.CRISIS_SEVERITY_LOW,
    "minor": pb.CRISIS_SEVERITY_MEDIUM,
    "major": pb.CRISIS_SEVERITY_HIGH,
    "critical": pb.CRISIS_SEVERITY_CRITICAL,
}
STATUSES = {
    "opened": pb.CRISIS_STATUS_OPENED,
    "escalated": pb.CRISIS_STATUS_ESCALATED,
    "resolved": pb.CRISIS_STATUS_RESOLVED,
}
STATUS_NAMES = {value: name for name, value in STATUSES.items()}
SEVERITY_NAMES = {value: name for name, value in SEVERITIES.items()}


def crisis_name(row: CrisisRow) -> str:
    return f"{brand_name(row.tenant, row.brand_id)}/crises/{row.id}"


def subsidiary(row: CrisisRow) -> str:
    return f"tenants/{row.tenant}/subsidiaries/{row.subsidiary_id}" if row.subsidiary_id else ""


def crisis(row: CrisisRow) -> pb.Crisis:
    explanation = pb.CrisisExplanation()
    json_format.ParseDict(row.explanation or {}, explanation)
    return pb.Crisis(
        name=crisis_name(row),
        brand=brand_name(row.tenant, row.brand_id),
        status=STATUSES[row.status],
        severity=SEVERITIES[row.severity],
        open_time=stamp(row.open_time),
        escalate_time=stamp(row.escalate_time),
        resolve_time=stamp(row.resolve_time),
        explanation=explanation,
        update_time=stamp(row.update_time),
    )
