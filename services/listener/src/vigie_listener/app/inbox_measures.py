"""Response targets per subsidiary, and the response times measured against them."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from vigie.listener.v1 import inbox_pb2 as rpc
from vigie.listener.v1 import resources_pb2 as pb
from vigie_runtime.errors import InvalidArgument
from vigie_runtime.principal import READ_ROLES, Principal
from vigie_runtime.uow import UnitOfWork

from vigie_listener.adapters.orm import InboxItemRow, ResponseTargetRow
from vigie_listener.app.common import now, utc
from vigie_listener.app.inbox_common import TARGET_ROLES
from vigie_listener.app.inbox_items import require_user, scope_of, scoped
from vigie_listener.app.names import BRAND, MEMBER, RESPONSE_TARGETS_SUFFIX, SUBSIDIARY
from vigie_listener.app.views import stamp
from vigie_listener.domain.inbox_status import WAITING, Status
from vigie_listener.domain.response_times import Stats, seconds_between, stats

MAX_TARGET_SECONDS = 90 * 24 * 3600
MAX_WINDOW = timedelta(days=366)
# Items read for one measure: beyond this the window is too wide to answer in one call.
MAX_ITEMS = 200_000


def _subsidiary(who: Principal, name: str) -> tuple[str, str]:
    if not name.endswith(RESPONSE_TARGETS_SUFFIX):
        raise InvalidArgument("name", "expected tenants/{t}/subsidiaries/{s}/responseTargets")
    require_user(who)
    base = name.removesuffix(RESPONSE_TARGETS_SUFFIX)
    tenant, subsidiary_id = SUBSIDIARY.parse_in_tenant(base, who.tenant, "name")
    return tenant, subsidiary_id


def targets_view(
    tenant: str, subsidiary_id: str, row: ResponseTargetRow | None
) -> pb.ResponseTargets:
    name = SUBSIDIARY.format(tenant, subsidiary_id) + RESPONSE_TARGETS_SUFFIX
    if row is None:
        return pb.ResponseTargets(name=name)
    return pb.ResponseTargets(
        name=name,
        first_response_seconds=row.first_response_seconds,
        resolution_seconds=row.resolution_seconds,
        update_time=stamp(row.updated_at),
    )


async def set_targets(
    uow: UnitOfWork, who: Principal, given: pb.ResponseTargets
) -> pb.ResponseTargets:
    tenant, subsidiary_id = _subsidiary(who, given.name)
    who.require(TARGET_ROLES, SUBSIDIARY.format(tenant, subsidiary_id))
    for field_name in ("first_response_seconds", "resolution_seconds"):
        value = getattr(given, field_name)
        if not 0 <= value <= MAX_TARGET_SECONDS:
            raise InvalidArgument(
                f"response_targets.{field_name}", f"0 (none) to {MAX_TARGET_SECONDS} seconds"
            )
    row = await uow.session.get(ResponseTargetRow, (tenant, subsidiary_id))
    if row is None:
        row = ResponseTargetRow(tenant=tenant, subsidiary_id=subsidiary_id)
        uow.session.add(row)
    row.first_response_seconds = given.first_response_seconds
    row.resolution_seconds = given.resolution_seconds
    row.updated_at = now()
    return targets_view(tenant, subsidiary_id, row)


async def get_targets(uow: UnitOfWork, who: Principal, name: str) -> pb.ResponseTargets:
    tenant, subsidiary_id = _subsidiary(who, name)
    # As for the subsidiary's inbox: a role there is needed (refusing names only the subsidiary).
    who.require(READ_ROLES, SUBSIDIARY.format(tenant, subsidiary_id))
    row = await uow.session.get(ResponseTargetRow, (tenant, subsidiary_id))
    return targets_view(tenant, subsidiary_id, row)


@dataclass
class _Group:
    opened: int = 0
    first: list[float] = field(default_factory=list)
    first_waiting: list[float] = field(default_factory=list)
    resolved: list[float] = field(default_factory=list)
    unresolved: list[float] = field(default_factory=list)
    subsidiaries: set[str] = field(default_factory=set)


def _window(request: rpc.GetResponseTimesRequest) -> tuple[datetime, datetime]:
    if not request.HasField("start_time") or not request.HasField("end_time"):
        raise InvalidArgument("start_time", "start_time and end_time are both needed")
    try:
        start = request.start_time.ToDatetime(tzinfo=UTC)
        end = request.end_time.ToDatetime(tzinfo=UTC)
    except (ValueError, OverflowError):
        raise InvalidArgument("start_time", "is not a valid time") from None
    if not start < end or end - start > MAX_WINDOW:
        raise InvalidArgument("end_time", "must be after start_time, at most 366 days later")
    return start, end


_MEASURED = (
    InboxItemRow.tenant,
    InboxItemRow.brand_id,
    InboxItemRow.subsidiary_id,
    InboxItemRow.responder,
    InboxItemRow.assignee_id,
    InboxItemRow.status,
    InboxItemRow.opened_at,
    InboxItemRow.first_response_at,
    InboxItemRow.closed_at,
)


def _key(row: Any, grouping: int) -> str:
    if grouping == rpc.RESPONSE_GROUPING_BRAND:
        return BRAND.format(row.tenant, row.brand_id)
    if grouping == rpc.RESPONSE_GROUPING_PERSON:
        # Who handled it: the person who replied, else the one it is assigned to.
        if row.responder:
            return str(row.responder)
        return MEMBER.format(row.tenant, row.assignee_id) if row.assignee_id else ""
    return SUBSIDIARY.format(row.tenant, row.subsidiary_id)


def _add(group: _Group, row: Any, moment: datetime) -> None:
    opened = utc(row.opened_at)
    group.opened += 1
    group.subsidiaries.add(row.subsidiary_id)
    if row.first_response_at is not None:
        group.first.append(seconds_between(opened, utc(row.first_response_at)))
    elif Status(row.status) in WAITING:
        group.first_waiting.append(seconds_between(opened, moment))
    if row.status == Status.CLOSED and row.closed_at is not None:
        group.resolved.append(seconds_between(opened, utc(row.closed_at)))
    else:
        group.unresolved.append(seconds_between(opened, moment))


async def response_times(
    uow: UnitOfWork, who: Principal, request: rpc.GetResponseTimesRequest
) -> rpc.GetResponseTimesResponse:
    scope = scope_of(who, request.parent)
    start, end = _window(request)
    grouping = request.group_by or rpc.RESPONSE_GROUPING_SUBSIDIARY
    if grouping not in (1, 2, 3):
        raise InvalidArgument("group_by", "is not a ResponseGrouping")
    query = scoped(who, scope).where(InboxItemRow.opened_at >= start, InboxItemRow.opened_at < end)
    # Only the columns measured: loading whole rows (JSON columns, ORM identity) costs ~10x.
    rows = await uow.session.execute(query.with_only_columns(*_MEASURED).limit(MAX_ITEMS))
    moment = now()
    groups: dict[str, _Group] = defaultdict(_Group)
    for row in rows:
        _add(groups[_key(row, grouping)], row, moment)
    answer = rpc.GetResponseTimesResponse()
    for key in sorted(groups):
        answer.groups.append(await _group_view(uow, scope.tenant, key, groups[key]))
    return answer


async def _group_view(
    uow: UnitOfWork, tenant: str, key: str, group: _Group
) -> rpc.ResponseTimeGroup:
    # A group spanning several subsidiaries (a person's) is measured against the strictest one.
    first_target, resolution_target = 0, 0
    for subsidiary_id in sorted(group.subsidiaries):
        row = await uow.session.get(ResponseTargetRow, (tenant, subsidiary_id))
        if row is not None:
            first_target = _strictest(first_target, row.first_response_seconds)
            resolution_target = _strictest(resolution_target, row.resolution_seconds)
    first = stats(group.first, group.first_waiting, first_target)
    resolution = stats(group.resolved, group.unresolved, resolution_target)
    return rpc.ResponseTimeGroup(
        key=key,
        opened_count=group.opened,
        first_response=_stats_view(pb.RESPONSE_KIND_FIRST_RESPONSE, first),
        resolution=_stats_view(pb.RESPONSE_KIND_RESOLUTION, resolution),
    )


def _strictest(current: int, candidate: int) -> int:
    if candidate <= 0:
        return current
    return candidate if current <= 0 else min(current, candidate)


def _stats_view(kind: int, found: Stats) -> rpc.ResponseTimeStats:
    return rpc.ResponseTimeStats(
        kind=kind,  # type: ignore[arg-type]
        count=found.count,
        p50_seconds=found.p50_seconds,
        p90_seconds=found.p90_seconds,
        mean_seconds=found.mean_seconds,
        breach_count=found.breach_count,
        target_seconds=found.target_seconds,
    )
