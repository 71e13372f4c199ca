"""A social account's input checked: network, handle, time zone and credentials."""

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from vigie.publisher.v1 import resources_pb2 as pb
from vigie_runtime.errors import InvalidArgument

from vigie_publisher.app.common import utc
from vigie_publisher.app.networks import NETWORKS

# The networks whose API paths name the account: what its id is there.
NEEDS_ACCOUNT_ID = {
    "linkedin": "the author URN",
    "facebook": "the page id",
    "instagram": "the ig-user-id",
    "threads": "the threads-user-id",
}


def network(value: "pb.Network.ValueType") -> str:
    if value not in NETWORKS:
        raise InvalidArgument("network", "must name a supported network")
    return NETWORKS[value]


def handle(text: str) -> str:
    text = text.strip()
    if not text or len(text) > 320:
        raise InvalidArgument("handle", "must be 1 to 320 characters")
    return text


def time_zone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise InvalidArgument("time_zone", f"{name!r} is not an IANA time zone") from exc
    return name


def credentials(
    network_name: str, source: pb.SocialAccountCredentials
) -> tuple[dict[str, Any], datetime | None]:
    """The credentials as stored (before sealing), and their expiry when the network says."""
    kind = source.WhichOneof("credentials")
    expected = {"bluesky": "bluesky", "mastodon": "mastodon"}.get(network_name, "oauth")
    if kind != expected:
        raise InvalidArgument("credentials", f"a {network_name} account needs {expected} ones")
    if kind == "bluesky":
        b = source.bluesky
        if not (b.service_url and b.identifier and b.app_password):
            raise InvalidArgument("credentials", "service_url, identifier, app_password needed")
        return {
            "service_url": b.service_url,
            "identifier": b.identifier,
            "app_password": b.app_password,
        }, None
    if kind == "mastodon":
        m = source.mastodon
        if not (m.instance_url and m.access_token):
            raise InvalidArgument("credentials", "instance_url and access_token needed")
        return {"instance_url": m.instance_url, "access_token": m.access_token}, None
    o = source.oauth
    if not o.access_token:
        raise InvalidArgument("credentials", "access_token needed")
    if network_name in NEEDS_ACCOUNT_ID and not o.network_account_id.strip():
        what = NEEDS_ACCOUNT_ID[network_name]
        raise InvalidArgument("credentials", f"network_account_id ({what}) needed")
    expiry = utc(o.expire_time.ToDatetime()) if o.HasField("expire_time") else None
    stored = {"access_token": o.access_token, "refresh_token": o.refresh_token}
    return {**stored, "network_account_id": o.network_account_id.strip()}, expiry
