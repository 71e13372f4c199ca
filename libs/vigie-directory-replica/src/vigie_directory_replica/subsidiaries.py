"""The directory's subsidiary events, mapped onto a service's `known_subsidiaries` replica.

Subsidiaries are created and updated, never deleted (a subsidiary with history stays), so the
replica only ever upserts; an older fact never overwrites a newer one.
"""

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial

from vigie.directory.v1 import events_pb2
from vigie.directory.v1 import resources_pb2 as directory
from vigie_runtime.clock import as_utc
from vigie_runtime.events import EventType, IncomingEvent
from vigie_runtime.inbox import Subscription
from vigie_runtime.resource_names import ResourcePattern
from vigie_runtime.uow import UnitOfWork

from vigie_directory_replica.columns import KnownSubsidiaryColumns

log = logging.getLogger(__name__)

SUBSIDIARY_CREATED = EventType("directory", "subsidiary", "created", events_pb2.SubsidiaryChanged)
SUBSIDIARY_UPDATED = EventType("directory", "subsidiary", "updated", events_pb2.SubsidiaryChanged)

_SUBSIDIARY = ResourcePattern("subsidiary", ("tenants", "subsidiaries"))


@dataclass(frozen=True)
class SubsidiaryFacts:
    """What the directory said a subsidiary is, and when."""

    tenant: str
    subsidiary_id: str
    display_name: str
    country: str
    locale: str
    time_zone: str
    data_region: str
    changed_at: datetime


def subsidiary_replica_subscription(
    service: str, table: type[KnownSubsidiaryColumns]
) -> Subscription:
    """The durable consumer `<service>-subsidiaries` keeping `table` in step with the directory."""
    return Subscription(
        durable=f"{service}-subsidiaries",
        producer="directory",
        subjects=["vigie.directory.*.subsidiary.>"],
        handler=partial(on_subsidiary_event, table),
    )


async def on_subsidiary_event(
    table: type[KnownSubsidiaryColumns], uow: UnitOfWork, event: IncomingEvent
) -> None:
    known = {t.ce_type: t for t in (SUBSIDIARY_CREATED, SUBSIDIARY_UPDATED)}
    if event.type in known:
        changed = known[event.type].parse(event).subsidiary
        await record_subsidiary(uow, table, _facts(changed, event))
    else:
        log.info("ignoring %s: not a subsidiary event this version knows", event.type)


async def record_subsidiary(
    uow: UnitOfWork, table: type[KnownSubsidiaryColumns], facts: SubsidiaryFacts
) -> None:
    row = await uow.session.get(table, (facts.tenant, facts.subsidiary_id))
    if row is None:
        row = table()
        row.tenant, row.id = facts.tenant, facts.subsidiary_id
        uow.session.add(row)
    elif as_utc(row.updated_at) > as_utc(facts.changed_at):
        return
    row.display_name = facts.display_name
    row.country = facts.country
    row.locale = facts.locale
    row.time_zone = facts.time_zone
    row.data_region = facts.data_region
    row.updated_at = facts.changed_at


def _facts(subsidiary: directory.Subsidiary, event: IncomingEvent) -> SubsidiaryFacts:
    tenant, subsidiary_id = _SUBSIDIARY.parse(subsidiary.name)
    if tenant != event.tenant:
        # A subsidiary of another tenant in this tenant's event: never applied.
        raise ValueError(f"event {event.id} of tenant {event.tenant} names {subsidiary.name}")
    has_time = subsidiary.HasField("update_time")
    changed = subsidiary.update_time.ToDatetime(tzinfo=UTC) if has_time else event.time
    return SubsidiaryFacts(
        tenant=tenant,
        subsidiary_id=subsidiary_id,
        display_name=subsidiary.display_name,
        country=subsidiary.country,
        locale=subsidiary.locale,
        time_zone=subsidiary.time_zone,
        data_region=subsidiary.data_region,
        changed_at=changed,
    )
