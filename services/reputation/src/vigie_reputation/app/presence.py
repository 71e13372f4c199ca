"""PresenceService handlers: the caller's scope checked, the window checked, the measures read
(app/presence_reads.py) and shaped."""

from datetime import datetime

from sqlalchemy import select
from vigie.reputation.v1 import presence_pb2 as pb
from vigie_runtime.errors import InvalidArgument
from vigie_runtime.pagination import decode_page_token, encode_page_token, page_size
from vigie_runtime.principal import current_principal
from vigie_runtime.uow import UnitOfWork

from vigie_reputation.adapters.orm import PresenceSnapshotRow
from vigie_reputation.app import presence_reads as reads
from vigie_reputation.app import presence_views as views
from vigie_reputation.app.presence_scope import PresenceScope, parse_scope, subsidiaries_of_group
from vigie_reputation.app.views import utc
from vigie_reputation.domain.presence.window import (
    PresenceGranularity,
    PresenceWindow,
    PresenceWindowError,
    checked_window,
)

GRANULARITIES = {
    pb.PRESENCE_GRANULARITY_DAY: PresenceGranularity.DAY,
    pb.PRESENCE_GRANULARITY_WEEK: PresenceGranularity.WEEK,
    pb.PRESENCE_GRANULARITY_MONTH: PresenceGranularity.MONTH,
}
MAX_TOP_POSTS = 100


def granularity_of(value: int) -> PresenceGranularity:
    if value not in GRANULARITIES:
        reason = "GRANULARITY_MISSING" if value == 0 else "GRANULARITY_UNKNOWN"
        raise InvalidArgument("granularity", "must be DAY, WEEK or MONTH", reason)
    return GRANULARITIES[value]  # type: ignore[index]


async def _window(
    uow: UnitOfWork, scope: PresenceScope, start: datetime | None, end: datetime | None
) -> PresenceWindow:
    zone = await reads.subsidiary_zone(uow, scope.tenant, scope.subsidiary_id)
    try:
        return checked_window(start, end, zone)
    except PresenceWindowError as refused:
        raise InvalidArgument("end_time", str(refused), refused.reason) from None


async def _accounts(uow: UnitOfWork, scope: PresenceScope) -> list[str]:
    if scope.kind == "account":
        return [scope.id]
    if scope.kind == "brand":
        brands = [scope.id]
    else:
        subsidiary = scope.id if scope.kind == "subsidiary" else None
        brands = await reads.own_brands(uow, scope.tenant, subsidiary)
    return [a.account for a in await reads.accounts_of_brands(uow, scope.tenant, brands)]


async def _scoped_presence(
    uow: UnitOfWork, name: str, scope: PresenceScope, window: PresenceWindow, granularity: int
) -> pb.Presence:
    kind = granularity_of(granularity)
    figures = await reads.accounts_presence(
        uow, scope.tenant, await _accounts(uow, scope), window, kind
    )
    result = views.presence(name, figures, window, granularity)
    if scope.kind == "account":
        return result
    if scope.kind == "brand":
        brands = [scope.id]
        for brand, (count, share) in (
            await reads.engagement_shares(uow, scope.tenant, scope.id, window)
        ).items():
            brand_name = f"tenants/{scope.tenant}/brands/{brand}"
            result.engagement_shares.append(
                pb.EngagementShare(brand=brand_name, engagements=count, share=share)
            )
    else:
        subsidiary = scope.id if scope.kind == "subsidiary" else None
        brands = await reads.own_brands(uow, scope.tenant, subsidiary)
    answers = await reads.brand_response_time(uow, scope.tenant, brands, window)
    result.response_times.CopyFrom(views.response_times(answers))
    return result


async def get_presence(
    uow: UnitOfWork, request: pb.GetPresenceRequest, start: datetime | None, end: datetime | None
) -> pb.Presence:
    who = current_principal()
    scope = await parse_scope(uow, who, request.scope, "scope")
    granularity_of(request.granularity)
    window = await _window(uow, scope, start, end)
    if scope.kind != "group":
        return await _scoped_presence(uow, request.scope, scope, window, request.granularity)
    result = await _scoped_presence(uow, request.scope, scope, window, request.granularity)
    for subsidiary_id in await subsidiaries_of_group(uow, who.tenant):
        # Each subsidiary in its own time zone: comparable days, not the same instants.
        part = PresenceScope("subsidiary", who.tenant, subsidiary_id, subsidiary_id)
        name = f"tenants/{who.tenant}/subsidiaries/{subsidiary_id}"
        own_window = await _window(uow, part, start, end)
        result.subsidiaries.append(
            await _scoped_presence(uow, name, part, own_window, request.granularity)
        )
    return result


async def list_top_posts(
    uow: UnitOfWork, request: pb.ListTopPostsRequest, start: datetime | None, end: datetime | None
) -> pb.ListTopPostsResponse:
    who = current_principal()
    scope = await parse_scope(uow, who, request.scope, "scope")
    window = await _window(uow, scope, start, end)
    if request.page_size < 0 or request.page_size > MAX_TOP_POSTS:
        raise InvalidArgument(
            "page_size", f"must be in [0, {MAX_TOP_POSTS}]", "PAGE_SIZE_OUT_OF_RANGE"
        )
    count = request.page_size or 10
    posts = await reads.top_posts_of(uow, who.tenant, await _accounts(uow, scope), window, count)
    return pb.ListTopPostsResponse(posts=[views.top_post(p) for p in posts])


async def list_account_snapshots(
    uow: UnitOfWork,
    request: pb.ListAccountSnapshotsRequest,
    start: datetime | None,
    end: datetime | None,
) -> pb.ListAccountSnapshotsResponse:
    who = current_principal()
    scope = await parse_scope(uow, who, request.account, "account")
    if scope.kind != "account":
        raise InvalidArgument("account", "expected an account name", "SCOPE_INVALID")
    window = await _window(uow, scope, start, end)
    size = page_size(request.page_size)
    fingerprint = [request.account, window.start, window.end]
    after = decode_page_token(request.page_token, fingerprint)
    raw = PresenceSnapshotRow
    query = select(raw).where(
        raw.tenant == who.tenant,
        raw.account == scope.id,
        raw.bucket >= window.start,
        raw.bucket < window.end,
    )
    if after:
        query = query.where(raw.bucket > datetime.fromisoformat(str(after[0])))
    rows = list((await uow.session.execute(query.order_by(raw.bucket).limit(size + 1))).scalars())
    token = ""
    if len(rows) > size:
        rows = rows[:size]
        token = encode_page_token([utc(rows[-1].bucket).isoformat()], fingerprint)
    points = [
        pb.AccountSnapshotPoint(
            snapshot_time=views.stamp(r.snapshot_time),
            followers=r.followers,
            following=r.following,
            posts=r.posts,
        )
        for r in rows
    ]
    return pb.ListAccountSnapshotsResponse(snapshots=points, next_page_token=token)
