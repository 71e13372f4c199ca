"""Tracked accounts as the contract's message."""

from vigie.publisher.v1 import resources_pb2 as pb

from vigie_publisher.adapters.orm import TrackedAccountRow
from vigie_publisher.app.names import BRAND, TRACKED_ACCOUNT
from vigie_publisher.app.networks import to_proto
from vigie_publisher.app.views import stamp


def tracked_account(row: TrackedAccountRow) -> pb.TrackedAccount:
    message = pb.TrackedAccount(
        name=TRACKED_ACCOUNT.format(row.tenant, row.brand_id, row.id),
        brand=BRAND.format(row.tenant, row.brand_id),
        network=to_proto(row.network),
        handle=row.handle,
        instance_url=row.instance_url,
        display_name=row.display_name,
        last_error=row.last_error,
        create_time=stamp(row.created_at),
        update_time=stamp(row.updated_at),
        etag=str(row.version),
    )
    if row.last_snapshot_at is not None:
        message.last_snapshot_time.CopyFrom(stamp(row.last_snapshot_at))
    return message
