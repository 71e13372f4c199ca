"""Rows as the contract's messages; credentials are never part of them."""

from collections.abc import Sequence
from datetime import datetime

from google.protobuf.timestamp_pb2 import Timestamp
from vigie.publisher.v1 import resources_pb2 as pb

from vigie_publisher.adapters.orm import AuditEntryRow, PostRow, SocialAccountRow
from vigie_publisher.app import variant_codec as codec
from vigie_publisher.app.common import utc
from vigie_publisher.app.names import BRAND, POST, SOCIAL_ACCOUNT
from vigie_publisher.app.networks import to_proto

_HEALTH = {
    "ok": pb.TOKEN_HEALTH_OK,
    "expiring": pb.TOKEN_HEALTH_EXPIRING,
    "expired": pb.TOKEN_HEALTH_EXPIRED,
    "revoked": pb.TOKEN_HEALTH_REVOKED,
}
HEALTH_OF_PROTO = {number: name for name, number in _HEALTH.items()}


def stamp(moment: datetime) -> Timestamp:
    result = Timestamp()
    result.FromDatetime(utc(moment))
    return result


def account(row: SocialAccountRow) -> pb.SocialAccount:
    message = pb.SocialAccount(
        name=SOCIAL_ACCOUNT.format(row.tenant, row.brand_id, row.id),
        brand=BRAND.format(row.tenant, row.brand_id),
        network=to_proto(row.network),
        handle=row.handle,
        display_name=row.display_name,
        time_zone=row.time_zone,
        language=row.language,
        token_health=_HEALTH.get(row.token_health, pb.TOKEN_HEALTH_UNSPECIFIED),
        credentials_set=bool(row.sealed_credentials),
        create_time=stamp(row.created_at),
        update_time=stamp(row.updated_at),
        etag=str(row.version),
        last_snapshot_error=row.snapshot_error,
    )
    if row.token_expires_at is not None:
        message.token_expire_time.CopyFrom(stamp(row.token_expires_at))
    if row.last_snapshot_at is not None:
        message.last_snapshot_time.CopyFrom(stamp(row.last_snapshot_at))
    return message


_ACTIONS = {
    "submitted": pb.APPROVAL_ACTION_SUBMITTED,
    "approved": pb.APPROVAL_ACTION_APPROVED,
    "rejected": pb.APPROVAL_ACTION_REJECTED,
}
_STATUSES = {
    "draft": pb.POST_STATUS_DRAFT,
    "submitted": pb.POST_STATUS_SUBMITTED,
    "approved": pb.POST_STATUS_APPROVED,
    "scheduled": pb.POST_STATUS_SCHEDULED,
    "publishing": pb.POST_STATUS_PUBLISHING,
    "published": pb.POST_STATUS_PUBLISHED,
    "failed": pb.POST_STATUS_FAILED,
    "held": pb.POST_STATUS_HELD,
}


# The stored status of each contract status (the ListPosts filter).
STATUS_NAMES = {number: name for name, number in _STATUSES.items()}


def post(row: PostRow, trail: Sequence[AuditEntryRow] = ()) -> pb.Post:
    message = pb.Post(
        name=POST.format(row.tenant, row.brand_id, row.id),
        brand=BRAND.format(row.tenant, row.brand_id),
        status=_STATUSES.get(row.status, pb.POST_STATUS_UNSPECIFIED),
        variants=[codec.to_proto_variant(codec.from_json(v)) for v in row.variants],
        social_accounts=[
            SOCIAL_ACCOUNT.format(row.tenant, row.brand_id, a) for a in row.account_ids
        ],
        approval_trail=[
            pb.ApprovalStep(
                action=_ACTIONS.get(e.action, pb.APPROVAL_ACTION_UNSPECIFIED),
                actor=e.actor,
                comment=e.comment,
                time=stamp(e.at),
            )
            for e in trail
        ],
        author=row.author,
        create_time=stamp(row.created_at),
        update_time=stamp(row.updated_at),
        etag=str(row.version),
    )
    if row.schedule_at is not None:
        message.schedule_time.CopyFrom(stamp(row.schedule_at))
    if row.approval_deadline is not None:
        message.approval_deadline.CopyFrom(stamp(row.approval_deadline))
    return message
