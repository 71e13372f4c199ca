"""Creators similar to a given one: shared topics, languages, countries and a close audience.

similarity = 0.5 x Jaccard(topics) + 0.2 x Jaccard(languages) + 0.1 x Jaccard(countries)
           + 0.2 x (1 - |log10(followers / their followers)|, floored at 0)

Candidates are the creators within a factor 10 of the audience (and sharing a topic when the
creator has topics) that pass the other filters, at most CANDIDATES of them; pages are offsets
into that ranked, bounded list.
"""

import math
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, or_, select
from vigie.partnerships.v1 import partnerships_pb2 as rpc
from vigie_runtime.pagination import decode_page_token, encode_page_token, page_size
from vigie_runtime.tenant_rows import load
from vigie_runtime.uow import UnitOfWork

from vigie_partnerships.adapters.orm import CreatorRow

CANDIDATES = 2000


def similarity(a: CreatorRow, b: CreatorRow) -> float:
    audience = 0.0
    if a.followers > 0 and b.followers > 0:
        audience = max(0.0, 1 - abs(math.log10(a.followers / b.followers)))
    return (
        0.5 * _jaccard(a.topics, b.topics)
        + 0.2 * _jaccard(a.languages, b.languages)
        + 0.1 * _jaccard(a.countries, b.countries)
        + 0.2 * audience
    )


def _jaccard(a: Sequence[str], b: Sequence[str]) -> float:
    union = set(a) | set(b)
    return len(set(a) & set(b)) / len(union) if union else 0.0


async def similar_page(
    uow: UnitOfWork,
    tenant: str,
    target_id: str,
    conditions: list[ColumnElement[bool]],
    request: rpc.SearchCreatorsRequest,
    fingerprint: Any,
) -> tuple[list[CreatorRow], str]:
    target = await load(uow, CreatorRow, "creator", tenant, target_id, request.similar_to)
    query = select(CreatorRow).where(*conditions, CreatorRow.id != target.id)
    if target.followers > 0:
        query = query.where(
            CreatorRow.followers >= target.followers // 10,
            CreatorRow.followers <= target.followers * 10,
        )
    if target.topics:
        query = query.where(or_(*(CreatorRow.topics_text.like(f"%|{t}|%") for t in target.topics)))
    candidates = list((await uow.session.execute(query.limit(CANDIDATES))).scalars())
    ranked = sorted(candidates, key=lambda c: (-similarity(target, c), c.id))
    size = page_size(request.page_size)
    after = decode_page_token(request.page_token, fingerprint)
    start = int(str(after[0])) if after else 0
    token = encode_page_token([start + size], fingerprint) if len(ranked) > start + size else ""
    return ranked[start : start + size], token
