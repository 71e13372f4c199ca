"""Data regions: what may leave a region, and the NATS settings that let only that out.

Each region runs its own Vigie and its own NATS server, whose JetStream has the region as its
domain; the region's server joins a hub as a leaf node. The only Vigie subjects allowed across the
leaf connection are the aggregates (`vigie.aggregates.>`, published by each region's reputation
through its outbox). The hub keeps one stream, `VIGIE_GROUP`, sourcing those aggregates from every
region's domain (`$JS.<region>.API`) and renaming them `vigie.group.<region>.<tenant>...`, from
which a region's reputation reads the other regions' aggregates (docs/DATA_REGIONS.md).
"""

from nats.js import JetStreamContext
from nats.js.api import (
    ExternalStream,
    RetentionPolicy,
    StorageType,
    StreamConfig,
    StreamSource,
    SubjectTransform,
)
from nats.js.errors import NotFoundError
from pydantic_settings import BaseSettings, SettingsConfigDict

from vigie_runtime.events import stream_name
from vigie_runtime.nats_connection import DUPLICATE_WINDOW_SECONDS, STREAM_MAX_AGE_SECONDS

AGGREGATES_PRODUCER = "aggregates"
GROUP_PRODUCER = "group"
GROUP_STREAM = stream_name(GROUP_PRODUCER)
# The kinds of aggregate a region exports: `vigie.aggregates.{tenant}.<entity>.<action>.v1`.
AGGREGATE_EVENTS = ("measure.updated", "crisis.changed", "campaign.results_updated")
# Every Vigie service's events stay in their region (they carry mention texts, authors, people).
REGION_PRIVATE_PRODUCERS = ("directory", "publisher", "listener", "reputation", "partnerships")
# Core NATS traffic that must not cross either: replies (a message fetched from a local stream
# arrives on an inbox), acknowledgements, and the region's own JetStream API.
NEVER_EXPORTED = ("_INBOX.>", "$JS.ACK.>", "$JS.API.>")


class GroupSettings(BaseSettings):
    """`VIGIE_GROUP_REGIONS`: the regions of the group this region shares aggregates with
    (itself included), comma separated, e.g. "eu,us"; empty when the deployment is alone.
    `VIGIE_GROUP_HUB_DOMAIN`: the JetStream domain of the hub their servers are leaf nodes of."""

    model_config = SettingsConfigDict(env_prefix="VIGIE_GROUP_", extra="ignore")

    regions: str = ""
    hub_domain: str = "hub"

    @property
    def region_list(self) -> list[str]:
        return sorted({r.strip() for r in self.regions.split(",") if r.strip()})

    def others(self, region: str) -> list[str]:
        return [r for r in self.region_list if r != region]


def denied_exports() -> list[str]:
    """What a region's leaf connection never sends to the hub."""
    return [f"vigie.{producer}.>" for producer in REGION_PRIVATE_PRODUCERS] + list(NEVER_EXPORTED)


def denied_imports() -> list[str]:
    """What a region never takes from the hub: other regions' events only come as aggregates,
    pulled from the hub's group stream (`vigie.group.>`, delivered on inboxes)."""
    return [f"vigie.{producer}.>" for producer in (*REGION_PRIVATE_PRODUCERS, AGGREGATES_PRODUCER)]


def _quoted(subjects: list[str]) -> str:
    return "[" + ", ".join(f'"{s}"' for s in subjects) + "]"


def leafnodes_block(hub_url: str, credentials: str = "") -> str:
    """The region's `leafnodes` configuration (nats-server syntax): one remote, the hub."""
    creds = f'\n      credentials: "{credentials}"' if credentials else ""
    return (
        "leafnodes {\n  remotes: [\n    {\n"
        f"      url: {hub_url}{creds}\n"
        f"      deny_exports: {_quoted(denied_exports())}\n"
        f"      deny_imports: {_quoted(denied_imports())}\n"
        "    }\n  ]\n}\n"
    )


def server_config(store_dir: str, domain: str, leafnodes: str) -> str:
    """A whole nats-server configuration of a hub or a region (the local proof and the tests;
    in Kubernetes the same blocks are files of the `nats-config` ConfigMap)."""
    return (
        "listen: 127.0.0.1:-1\n"
        f'jetstream {{ store_dir: "{store_dir}", domain: {domain}, sync_interval: always }}\n'
        f"{leafnodes}"
    )


def hub_leafnodes_block(listen: str = "127.0.0.1:-1") -> str:
    """The hub accepts the regions' leaf connections (in production: their credentials)."""
    return f'leafnodes {{ listen: "{listen}" }}\n'


def group_subject(region: str) -> str:
    """The other region's aggregates in the hub's group stream."""
    return f"vigie.{GROUP_PRODUCER}.{region}.>"


def group_stream_config(regions: list[str]) -> StreamConfig:
    """The hub's stream: every region's aggregates, renamed with their region."""
    sources = [
        StreamSource(
            name=stream_name(AGGREGATES_PRODUCER),
            external=ExternalStream(api=f"$JS.{region}.API", deliver=f"vigie_group.{region}"),
            subject_transforms=[
                SubjectTransform(
                    src=f"vigie.{AGGREGATES_PRODUCER}.*.{event}.v1",
                    dest=f"vigie.{GROUP_PRODUCER}.{region}.{{{{wildcard(1)}}}}.{event}.v1",
                )
                for event in AGGREGATE_EVENTS
            ],
        )
        for region in sorted(set(regions))
    ]
    return StreamConfig(
        name=GROUP_STREAM,
        subjects=[],
        sources=sources,
        retention=RetentionPolicy.LIMITS,
        storage=StorageType.FILE,
        max_age=STREAM_MAX_AGE_SECONDS,
        duplicate_window=DUPLICATE_WINDOW_SECONDS,
    )


async def ensure_group_stream(hub: JetStreamContext, regions: list[str]) -> None:
    """Idempotent: every region's reputation declares the same stream at start."""
    config = group_stream_config(regions)
    try:
        await hub.stream_info(GROUP_STREAM)
        await hub.update_stream(config)
    except NotFoundError:
        await hub.add_stream(config)
