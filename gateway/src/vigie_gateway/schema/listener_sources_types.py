"""A listener's source as front-end teams see it: its kind's settings and its health.

Only the settings the proto carries are shown; a source holds no secret a front end may read."""

from datetime import datetime
from enum import Enum
from typing import Annotated

import strawberry
from vigie.listener.v1 import resources_pb2 as pb

from vigie_gateway.schema.common import Node, moment
from vigie_gateway.schema.listener_types import SourceKind


@strawberry.enum(description="How a source is doing, as its connector last saw it.")
class SourceHealthState(Enum):
    UNSPECIFIED = strawberry.enum_value(
        pb.SOURCE_HEALTH_STATE_UNSPECIFIED, description="Not known yet."
    )
    HEALTHY = strawberry.enum_value(
        pb.SOURCE_HEALTH_STATE_HEALTHY, description="Capturing normally."
    )
    DEGRADED = strawberry.enum_value(
        pb.SOURCE_HEALTH_STATE_DEGRADED, description="Connected but lagging or dropping items."
    )
    DOWN = strawberry.enum_value(
        pb.SOURCE_HEALTH_STATE_DOWN, description="Not connected; the connector keeps retrying."
    )
    DISABLED = strawberry.enum_value(
        pb.SOURCE_HEALTH_STATE_DISABLED, description="Switched off by a user."
    )


@strawberry.type(description="The health of a source: its state, last delivery and last error.")
class SourceHealth:
    state: SourceHealthState = strawberry.field(
        description="HEALTHY, DEGRADED, FAILING or DISABLED."
    )
    last_item_at: datetime | None = strawberry.field(description="Its last item (UTC).")
    checked_at: datetime | None = strawberry.field(description="When it was last checked.")
    last_error: str = strawberry.field(description="For people; empty when healthy.")
    lag_seconds: float = strawberry.field(description="How far behind real time it is.")
    captured_count: int = strawberry.field(description="Mentions stored from it.")
    skipped_count: int = strawberry.field(
        description="Items refused or skipped (malformed, unreadable, over a limit)."
    )
    error_count: int = strawberry.field(description="Failed reads; the last is lastError.")

    @classmethod
    def of(cls, m: pb.SourceHealth) -> "SourceHealth":
        return cls(
            state=SourceHealthState(m.state),
            last_item_at=moment(m.last_item_time) if m.HasField("last_item_time") else None,
            checked_at=moment(m.check_time) if m.HasField("check_time") else None,
            last_error=m.last_error, lag_seconds=m.lag_seconds,
            captured_count=m.captured_count, skipped_count=m.skipped_count,
            error_count=m.error_count,
        )  # fmt: skip


@strawberry.type(description="A Bluesky firehose (a relay's subscribeRepos stream).")
class BlueskySettings:
    relay_url: str = strawberry.field(description='E.g. "wss://bsky.network".')


@strawberry.type(description="A Mastodon instance's streaming API.")
class MastodonSettings:
    instance_url: str = strawberry.field(description='E.g. "https://mastodon.social".')
    stream: str = strawberry.field(description='"public", "public:local" or "hashtag".')
    hashtag: str = strawberry.field(description="Followed when `stream` is hashtag, no '#'.")


@strawberry.type(description="An RSS or Atom feed, polled.")
class RssSettings:
    feed_url: str = strawberry.field(description="The feed's address.")
    poll_interval_seconds: int = strawberry.field(description="0 for the default.")


@strawberry.type(description="A partner agency pushing mentions.")
class PartnerSettings:
    partner_client_id: strawberry.ID = strawberry.field(
        description="tenants/{t}/partnerClients/{c}, the client allowed to push here."
    )


@strawberry.type(description="Recorded mentions played back (demos, load tests).")
class ReplaySettings:
    uri: str = strawberry.field(description="Where the recorded items are (a file URI).")
    speed: float = strawberry.field(description="Relative to the recorded times; 0 is flat out.")


SourceSettings = Annotated[
    BlueskySettings | MastodonSettings | RssSettings | PartnerSettings | ReplaySettings,
    strawberry.union("SourceSettings", description="The settings of a source's kind."),
]


def settings_of(m: pb.Source) -> SourceSettings | None:
    which = m.WhichOneof("config")
    if which == "bluesky":
        return BlueskySettings(relay_url=m.bluesky.relay_url)
    if which == "mastodon":
        c = m.mastodon
        return MastodonSettings(instance_url=c.instance_url, stream=c.stream, hashtag=c.hashtag)
    if which == "rss":
        return RssSettings(
            feed_url=m.rss.feed_url, poll_interval_seconds=m.rss.poll_interval_seconds
        )
    if which == "partner":
        return PartnerSettings(partner_client_id=strawberry.ID(m.partner.partner_client))
    if which == "replay":
        return ReplaySettings(uri=m.replay.uri, speed=m.replay.speed)
    return None


@strawberry.type(
    description="A source of mentions, shared by the group's brands unless restricted."
)
class Source(Node):
    id: strawberry.ID = strawberry.field(description="tenants/{t}/sources/{s}.")
    display_name: str = strawberry.field(description="Its name as people see it.")
    kind: SourceKind = strawberry.field(description="Which kind it is.")
    settings: SourceSettings | None = strawberry.field(description="Its kind's settings.")
    brand_ids: list[strawberry.ID] = strawberry.field(description="Brands fed; [] for all.")
    enabled: bool = strawberry.field(description="A disabled source captures nothing.")
    health: SourceHealth = strawberry.field(description="How capture from it goes.")
    created_at: datetime = strawberry.field(description="When it was created (UTC).")
    updated_at: datetime = strawberry.field(description="When it last changed (UTC).")
    etag: str = strawberry.field(description="Pass back on update/delete to detect conflicts.")

    @classmethod
    def of(cls, m: pb.Source) -> "Source":
        return cls(
            id=strawberry.ID(m.name), display_name=m.display_name, kind=SourceKind(m.kind),
            settings=settings_of(m), brand_ids=[strawberry.ID(b) for b in m.brands],
            enabled=m.enabled, health=SourceHealth.of(m.health),
            created_at=moment(m.create_time), updated_at=moment(m.update_time), etag=m.etag,
        )  # fmt: skip
