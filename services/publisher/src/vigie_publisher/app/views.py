"""Rows as the contract's messages; credentials are never part of them."""

from datetime import datetime

from google.protobuf.timestamp_pb2 import Timestamp
from vigie.publisher.v1 import resources_pb2 as pb

from vigie_publisher.adapters.orm import SocialAccountRow
from vigie_publisher.app.common import utc
from vigie_publisher.app.names import BRAND, SOCIAL_ACCOUNT
from vigie_publisher.app.networks import to_proto

_HEALTH = {
    "ok": pb.TOKEN_HEALTH_OK,
    "expiring": pb.TOKEN_HEALTH_EXPIRING,
    "expired": pb.TOKEN_HEALTH_EXPIRED,
    "revoked": pb.TOKEN_HEALTH_REVOKED,
}


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
        token_health=_HEALTH.get(row.token_health, pb.TOKEN_HEALTH_UNSPECIFIED),
        credentials_set=bool(row.sealed_credentials),
        create_time=stamp(row.created_at),
        update_time=stamp(row.updated_at),
        etag=str(row.version),
    )
    if row.token_expires_at is not None:
        message.token_expire_time.CopyFrom(stamp(row.token_expires_at))
    return message
