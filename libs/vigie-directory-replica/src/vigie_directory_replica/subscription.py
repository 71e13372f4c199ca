"""The directory's brand events, mapped onto the replica."""

import logging
from datetime import UTC
from functools import partial

from vigie.directory.v1 import events_pb2
from vigie.directory.v1 import resources_pb2 as directory
from vigie_runtime.events import EventType, IncomingEvent
from vigie_runtime.inbox import Subscription
from vigie_runtime.resource_names import ResourcePattern
from vigie_runtime.uow import UnitOfWork

from vigie_directory_replica.columns import KnownBrandColumns
from vigie_directory_replica.replica import BrandFacts, forget_brand, record_brand

log = logging.getLogger(__name__)

# The directory's contracts (protos/vigie/directory/v1/events.proto), bound to their subjects.
BRAND_CREATED = EventType("directory", "brand", "created", events_pb2.BrandCreated)
BRAND_UPDATED = EventType("directory", "brand", "updated", events_pb2.BrandUpdated)
BRAND_DELETED = EventType("directory", "brand", "deleted", events_pb2.BrandDeleted)

_BRAND = ResourcePattern("brand", ("tenants", "brands"))
_SUBSIDIARY = ResourcePattern("subsidiary", ("tenants", "subsidiaries"))
_KINDS = {directory.BRAND_KIND_OWN: "own", directory.BRAND_KIND_COMPETITOR: "competitor"}


def brand_replica_subscription(service: str, table: type[KnownBrandColumns]) -> Subscription:
    """The durable consumer `<service>-brands` keeping `table` in step with the directory."""
    return Subscription(
        durable=f"{service}-brands",
        producer="directory",
        subjects=["vigie.directory.*.brand.>"],
        handler=partial(on_brand_event, table),
    )


async def on_brand_event(
    table: type[KnownBrandColumns], uow: UnitOfWork, event: IncomingEvent
) -> None:
    if event.type == BRAND_DELETED.ce_type:
        tenant, brand_id = _brand_ids(BRAND_DELETED.parse(event).name, event)
        await forget_brand(uow, table, tenant, brand_id, event.time)
    elif event.type == BRAND_CREATED.ce_type:
        await record_brand(uow, table, _facts(BRAND_CREATED.parse(event).brand, event))
    elif event.type == BRAND_UPDATED.ce_type:
        await record_brand(uow, table, _facts(BRAND_UPDATED.parse(event).brand, event))
    else:
        log.info("ignoring %s: not a brand event this version knows", event.type)


def _facts(brand: directory.Brand, event: IncomingEvent) -> BrandFacts:
    tenant, brand_id = _brand_ids(brand.name, event)
    _, subsidiary_id = _SUBSIDIARY.parse(brand.subsidiary, "subsidiary")
    has_time = brand.HasField("update_time")
    changed = brand.update_time.ToDatetime(tzinfo=UTC) if has_time else event.time
    return BrandFacts(
        tenant=tenant,
        brand_id=brand_id,
        subsidiary_id=subsidiary_id,
        display_name=brand.display_name,
        kind=_KINDS.get(brand.kind, "unspecified"),
        aliases=list(brand.aliases),
        competitors=[_BRAND.parse(c, "competitors")[1] for c in brand.competitors],
        changed_at=changed,
    )


def _brand_ids(name: str, event: IncomingEvent) -> tuple[str, str]:
    tenant, brand_id = _BRAND.parse(name)
    if tenant != event.tenant:
        # A brand of another tenant in this tenant's event: never applied.
        raise ValueError(f"event {event.id} of tenant {event.tenant} names {name}")
    return tenant, brand_id
