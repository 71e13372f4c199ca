"""Finding creators: filters that combine with AND, a sort, keyset pages; "similar creators".

Lists (networks, languages, countries, topics) match when the creator has any of the values.
Followers are those of the creator's most followed account. Sorted searches page on
(sort value, id), both descending so one index serves the order and the page: a page costs a
backward index range scan however deep it is.
"""

from typing import Any, cast

from sqlalchemy import ColumnElement, and_, func, or_, select
from vigie.partnerships.v1 import partnerships_pb2 as rpc
from vigie_runtime.errors import InvalidArgument
from vigie_runtime.pagination import decode_page_token, encode_page_token, page_size
from vigie_runtime.principal import Principal
from vigie_runtime.resource_names import require_parent
from vigie_runtime.uow import UnitOfWork

from vigie_partnerships.adapters.orm import (
    CreatorAccountRow,
    CreatorMentionRow,
    CreatorRow,
    MentionSentimentRow,
)
from vigie_partnerships.app.common import require_reader
from vigie_partnerships.app.creators import READ_SCOPE, Described, describe
from vigie_partnerships.app.names import BRAND, CREATOR
from vigie_partnerships.app.similar import similar_page

ORDERS: dict[str, Any] = {
    "followers desc": CreatorRow.followers,
    "engagement_rate desc": CreatorRow.engagement_rate,
    "authenticity desc": CreatorRow.authenticity,
    "overall desc": CreatorRow.overall,
}


async def search(
    uow: UnitOfWork, who: Principal, request: rpc.SearchCreatorsRequest
) -> tuple[list[Described], str]:
    require_parent(request.parent, who.tenant)
    require_reader(who, READ_SCOPE)
    order = request.order_by.strip() or "followers desc"
    if order not in ORDERS:
        raise InvalidArgument("order_by", f"one of {', '.join(ORDERS)}")
    conditions = [CreatorRow.tenant == who.tenant, *_filters(who.tenant, request)]
    fingerprint = _fingerprint(who.tenant, request)
    if request.similar_to:
        target = CREATOR.parse_in_tenant(request.similar_to, who.tenant, "similar_to")[1]
        rows, token = await similar_page(uow, who.tenant, target, conditions, request, fingerprint)
        return await describe(uow, who.tenant, rows), token
    column = ORDERS[order]
    size = page_size(request.page_size)
    after = decode_page_token(request.page_token, fingerprint)
    if after:
        value, last_id = after
        conditions.append(or_(column < value, and_(column == value, CreatorRow.id < last_id)))
    query = (
        select(CreatorRow)
        .where(*conditions)
        .order_by(column.desc(), CreatorRow.id.desc())
        .limit(size + 1)
    )
    rows = list((await uow.session.execute(query)).scalars())
    token = ""
    if len(rows) > size:
        last = rows[size - 1]
        token = encode_page_token([getattr(last, column.key), last.id], fingerprint)
    return await describe(uow, who.tenant, rows[:size]), token


def _filters(tenant: str, request: rpc.SearchCreatorsRequest) -> list[ColumnElement[bool]]:
    found: list[ColumnElement[bool]] = []
    for word in request.query.lower().split()[:10]:
        found.append(CreatorRow.search_text.like(f"%{_escaped(word)}%", escape="\\"))
    for column, values in (
        (CreatorRow.languages_text, [v.lower() for v in request.languages]),
        (CreatorRow.countries_text, [v.upper() for v in request.countries]),
        (CreatorRow.topics_text, [v.strip().lower() for v in request.topics]),
    ):
        if values:
            found.append(or_(*(column.like(f"%|{_escaped(v)}|%", escape="\\") for v in values)))
    if request.networks:
        found.append(
            select(CreatorAccountRow.creator_id)
            .where(
                CreatorAccountRow.tenant == tenant,
                CreatorAccountRow.creator_id == CreatorRow.id,
                CreatorAccountRow.network.in_([n.lower() for n in request.networks]),
            )
            .exists()
        )
    found.extend(_bounds(request))
    if request.HasField("max_negative_share"):
        found.append(_negative_share_at_most(tenant, request))
    return found


def _bounds(request: rpc.SearchCreatorsRequest) -> list[ColumnElement[bool]]:
    if request.min_followers < 0 or request.max_followers < 0:
        raise InvalidArgument("min_followers", "follower bounds cannot be negative")
    if request.max_followers and request.max_followers < request.min_followers:
        raise InvalidArgument("max_followers", "must be at least min_followers")
    for field in ("min_overall_score", "min_authenticity"):
        if not 0 <= getattr(request, field) <= 100:
            raise InvalidArgument(field, "must be within [0, 100]")
    if not 0 <= request.min_engagement_rate <= 1:
        raise InvalidArgument("min_engagement_rate", "must be within [0, 1]")
    found: list[ColumnElement[bool]] = []
    if request.min_followers:
        found.append(CreatorRow.followers >= request.min_followers)
    if request.max_followers:
        found.append(CreatorRow.followers <= request.max_followers)
    if request.min_overall_score:
        found.append(CreatorRow.overall >= request.min_overall_score)
    if request.min_authenticity:
        found.append(CreatorRow.authenticity >= request.min_authenticity)
    if request.min_engagement_rate:
        found.append(CreatorRow.engagement_rate >= request.min_engagement_rate)
    return found


def _negative_share_at_most(tenant: str, request: rpc.SearchCreatorsRequest) -> ColumnElement[bool]:
    if not request.brand:
        raise InvalidArgument("brand", "max_negative_share needs a brand")
    if not 0 <= request.max_negative_share <= 1:
        raise InvalidArgument("max_negative_share", "must be within [0, 1]")
    brand_id = BRAND.parse_in_tenant(request.brand, tenant, "brand")[1]

    def scored(only_negative: bool) -> Any:
        query = (
            select(func.count())
            .select_from(CreatorMentionRow)
            .join(
                MentionSentimentRow,
                (MentionSentimentRow.tenant == CreatorMentionRow.tenant)
                & (MentionSentimentRow.mention == CreatorMentionRow.mention),
            )
            .where(
                CreatorMentionRow.tenant == tenant,
                CreatorMentionRow.creator_id == CreatorRow.id,
                CreatorMentionRow.brand_id == brand_id,
            )
        )
        if only_negative:
            query = query.where(MentionSentimentRow.label == "negative")
        return query.scalar_subquery()

    negative, all_scored = scored(True), scored(False)
    return cast(ColumnElement[bool], negative <= request.max_negative_share * all_scored)


def _escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _fingerprint(tenant: str, request: rpc.SearchCreatorsRequest) -> list[object]:
    copy = rpc.SearchCreatorsRequest()
    copy.CopyFrom(request)
    copy.page_token = ""
    copy.page_size = 0
    return ["search", tenant, copy.SerializeToString(deterministic=True).hex()]
