"""Sources of a tenant: created, read with their health, listed and deleted by its admins and
social media managers; the supervisor starts and stops their connectors."""

from collections.abc import Sequence

from google.protobuf.field_mask_pb2 import FieldMask
from sqlalchemy import select
from vigie.listener.v1 import listener_pb2 as rpc
from vigie.listener.v1 import resources_pb2 as pb
from vigie_runtime import idempotency
from vigie_runtime.errors import InvalidArgument, NotFound
from vigie_runtime.field_masks import check_etag, paths_to_update
from vigie_runtime.ids import new_id
from vigie_runtime.principal import READ_ROLES, Principal, Role
from vigie_runtime.resource_names import require_parent
from vigie_runtime.tenant_rows import Listed, list_page
from vigie_runtime.uow import UnitOfWork

from vigie_listener.adapters.orm import SourceRow
from vigie_listener.app.common import MAX_BATCH, now
from vigie_listener.app.names import PARTNER_CLIENT, SOURCE

MANAGERS = (Role.GROUP_ADMIN, Role.SOCIAL_MEDIA_MANAGER)
_CONFIGS = {"bluesky": 1, "mastodon": 2, "rss": 3, "partner": 4, "replay": 5}
_KINDS = {kind: which for which, kind in _CONFIGS.items()}
_URL_FIELDS = {
    "bluesky": "relay_url",
    "mastodon": "instance_url",
    "rss": "feed_url",
    "replay": "uri",
}
_SCHEMES = {
    "bluesky": ("ws://", "wss://"),
    "mastodon": ("http://", "https://"),
    "rss": ("http://", "https://"),
    "replay": ("file://", "/"),
}
_STREAMS = ("public", "public:local", "hashtag")
# A source's own settings are updated as a whole ("rss") or one field at a time ("rss.feed_url").
UPDATABLE = ("display_name", "enabled")


def _check_kind_settings(which: str, config: dict[str, object]) -> None:
    if which == "mastodon":
        stream = str(config.get("stream") or "public")
        if stream not in _STREAMS:
            raise InvalidArgument("source.mastodon.stream", f"one of {', '.join(_STREAMS)}")
        tag = str(config.get("hashtag", ""))
        if stream == "hashtag" and not (1 <= len(tag) <= 100 and tag.replace("_", "").isalnum()):
            raise InvalidArgument("source.mastodon.hashtag", "a hashtag without '#'")
    if which == "rss" and not 0 <= int(str(config.get("poll_interval_seconds", 0))) <= 86_400:
        raise InvalidArgument("source.rss.poll_interval_seconds", "0 (default) to 86400")


def _config(source: pb.Source, tenant: str) -> tuple[int, dict[str, object]]:
    which = source.WhichOneof("config")
    if which is None:
        raise InvalidArgument("source.config", "set one of bluesky, mastodon, rss, partner, replay")
    message = getattr(source, which)
    config: dict[str, object] = {f.name: v for f, v in message.ListFields()}
    url_field = _URL_FIELDS.get(which)
    if url_field:
        url = str(config.get(url_field, ""))
        if not 1 <= len(url) <= 2048 or not url.lower().startswith(_SCHEMES[which]):
            wanted = " or ".join(_SCHEMES[which])
            raise InvalidArgument(f"source.{which}.{url_field}", f"{wanted}, up to 2048 characters")
    if which == "partner":
        # Another tenant's partner client is refused as unknown, like any of its names.
        PARTNER_CLIENT.parse_in_tenant(
            str(config.get("partner_client", "")), tenant, "source.partner.partner_client"
        )
    _check_kind_settings(which, config)
    return _CONFIGS[which], config


async def create(
    uow: UnitOfWork, who: Principal, parent: str, source: pb.Source, request_id: str
) -> SourceRow:
    require_parent(parent, who.tenant)
    who.require(MANAGERS)
    earlier = await idempotency.created_before(uow, who.tenant, request_id, "CreateSource")
    if earlier:
        return await get(uow, who, earlier)
    name = source.display_name.strip()
    if not 1 <= len(name) <= 100:
        raise InvalidArgument("source.display_name", "1 to 100 characters")
    kind, config = _config(source, who.tenant)
    moment = now()
    row = SourceRow(
        id=new_id(), tenant=who.tenant, kind=kind, display_name=name, config=config,
        brands=[], enabled=source.enabled, cursor="", captured_count=0, skipped_count=0,
        error_count=0, last_error="", version=1, created_at=moment, updated_at=moment,
    )  # fmt: skip
    uow.session.add(row)
    await uow.session.flush()
    await idempotency.remember(
        uow, who.tenant, request_id, "CreateSource", SOURCE.format(who.tenant, row.id)
    )
    return row


async def get(uow: UnitOfWork, who: Principal, name: str) -> SourceRow:
    _, source_id = SOURCE.parse_in_tenant(name, who.tenant)
    row = await uow.session.get(SourceRow, source_id)
    if row is None or row.tenant != who.tenant or not who.holds(READ_ROLES, None):
        raise NotFound("source", name)
    return row


# A tenant has few sources: no index beyond the tenant's.
SOURCE_ORDERS = {
    "create_time": SourceRow.created_at,
    "update_time": SourceRow.updated_at,
    "display_name": SourceRow.display_name,
}


async def list_(
    uow: UnitOfWork, who: Principal, request: rpc.ListSourcesRequest
) -> Listed[SourceRow]:
    require_parent(request.parent, who.tenant)
    if not who.holds(READ_ROLES, None):
        return Listed(rows=[], next_page_token="", total_size=0)
    query = select(SourceRow).where(SourceRow.tenant == who.tenant)
    if request.kind:
        query = query.where(SourceRow.kind == request.kind)
    fingerprint = ["sources", who.tenant, request.kind]
    return await list_page(uow, query, SourceRow, request, fingerprint, SOURCE_ORDERS)


async def delete(uow: UnitOfWork, who: Principal, name: str, etag: str) -> None:
    row = await get(uow, who, name)
    who.require(MANAGERS)
    check_etag(etag, row.version)
    await uow.session.delete(row)


async def batch_get(
    uow: UnitOfWork, who: Principal, parent: str, names: Sequence[str]
) -> list[SourceRow]:
    require_parent(parent, who.tenant)
    if len(names) > MAX_BATCH:
        raise InvalidArgument("names", f"at most {MAX_BATCH} names")
    return [await get(uow, who, name) for name in names]


def _updatable(kind: int) -> tuple[str, ...]:
    which = _KINDS[kind]
    fields = getattr(pb.Source(), which).DESCRIPTOR.fields
    return (*UPDATABLE, which, *(f"{which}.{field.name}" for field in fields))


async def update(uow: UnitOfWork, who: Principal, source: pb.Source, mask: FieldMask) -> SourceRow:
    """Changes the masked fields; a new address (feed, instance, relay...) starts afresh."""
    row = await get(uow, who, source.name)
    who.require(MANAGERS)
    check_etag(source.etag, row.version)
    paths = paths_to_update(mask, _updatable(row.kind))
    if "display_name" in paths:
        name = source.display_name.strip()
        if not 1 <= len(name) <= 100:
            raise InvalidArgument("source.display_name", "1 to 100 characters")
        row.display_name = name
    if "enabled" in paths:
        row.enabled = source.enabled
    _update_config(row, source, paths)
    row.version += 1
    row.updated_at = now()
    return row


def _update_config(row: SourceRow, source: pb.Source, paths: set[str]) -> None:
    which = _KINDS[row.kind]
    given = getattr(source, which)
    config = dict(row.config)
    for field in given.DESCRIPTOR.fields:
        if which in paths or f"{which}.{field.name}" in paths:
            config[field.name] = getattr(given, field.name)
    if config == row.config:
        return
    checked = pb.Source()
    getattr(checked, which).CopyFrom(type(given)(**config))
    _, config = _config(checked, row.tenant)
    url_field = _URL_FIELDS.get(which)
    if url_field and config.get(url_field) != row.config.get(url_field):
        row.cursor = ""  # a cursor of another feed, instance or relay means nothing here
    row.config = config
