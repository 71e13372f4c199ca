"""Creators: imported by partners and managers (gRPC or CSV), read by the tenant's people."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC

from sqlalchemy import select
from vigie.partnerships.v1 import resources_pb2 as pb
from vigie_runtime.errors import InvalidArgument, NotFound
from vigie_runtime.pagination import decode_page_token, encode_page_token, page_size
from vigie_runtime.principal import Principal
from vigie_runtime.resource_names import require_parent
from vigie_runtime.tenant_rows import batch, load, page
from vigie_runtime.uow import UnitOfWork

from vigie_partnerships.adapters.orm import CreatorAccountRow, CreatorRow, CreatorSnapshotRow
from vigie_partnerships.app.common import (
    MANAGERS,
    require_anywhere,
    require_batch_size,
    require_reader,
)
from vigie_partnerships.app.creator_store import Outcome, store_profile
from vigie_partnerships.app.names import CREATOR
from vigie_partnerships.domain.creators import Account, Profile, RefusedCreator, checked_profile
from vigie_partnerships.domain.csv_import import read_creators_csv

MAX_IMPORT = 1000
IMPORT_SCOPE = "creators.import"
READ_SCOPE = "creators.read"

# A creator with its accounts, most followed first.
Described = tuple[CreatorRow, list[CreatorAccountRow]]


@dataclass
class ImportReport:
    counts: dict[Outcome, int] = field(default_factory=lambda: dict.fromkeys(Outcome, 0))
    # (index in the request or CSV line, reason, message)
    refusals: list[tuple[int, str, str]] = field(default_factory=list)
    creators: list[Described] = field(default_factory=list)


async def import_creators(
    uow: UnitOfWork, who: Principal, parent: str, creators: Sequence[pb.Creator], csv: bytes
) -> ImportReport:
    require_parent(parent, who.tenant)
    require_anywhere(who, MANAGERS, IMPORT_SCOPE)
    if creators and csv:
        raise InvalidArgument("csv", "send either creators or a CSV file, not both")
    if len(creators) > MAX_IMPORT:
        raise InvalidArgument("creators", f"at most {MAX_IMPORT} per call")
    report = ImportReport()
    profiles: list[tuple[int, Profile]] = []
    if csv:
        try:
            rows = read_creators_csv(csv)
        except RefusedCreator as refused:
            raise InvalidArgument("csv", refused.message, refused.reason) from None
        profiles = rows.profiles
        report.refusals = [(r.line, r.reason, r.message) for r in rows.refusals]
    else:
        for index, creator in enumerate(creators):
            try:
                profiles.append((index, checked_profile(profile_of(creator))))
            except RefusedCreator as refused:
                report.refusals.append((index, refused.reason, refused.message))
    stored: list[CreatorRow] = []
    for index, profile in profiles:
        try:
            result = await store_profile(uow, who.tenant, profile, "import")
        except RefusedCreator as refused:
            report.refusals.append((index, refused.reason, refused.message))
            continue
        report.counts[result.outcome] += 1
        stored.append(result.creator)
    report.refusals.sort()
    report.creators = await describe(uow, who.tenant, stored)
    return report


def profile_of(creator: pb.Creator) -> Profile:
    return Profile(
        display_name=creator.display_name,
        accounts=tuple(
            Account(
                network=a.network,
                handle=a.handle,
                network_id=a.network_id,
                followers=a.followers_count,
                following=a.following_count,
                posts=a.posts_count,
                profile_url=a.profile_url,
                opened_at=a.account_create_time.ToDatetime(tzinfo=UTC)
                if a.HasField("account_create_time")
                else None,
                mean_engagements_per_post=a.mean_engagements_per_post,
            )
            for a in creator.accounts
        ),
        languages=tuple(creator.languages),
        countries=tuple(creator.countries),
        topics=tuple(creator.topics),
    )


async def describe(uow: UnitOfWork, tenant: str, creators: Sequence[CreatorRow]) -> list[Described]:
    """Each creator with its accounts, in one query."""
    ids = list(dict.fromkeys(c.id for c in creators))
    by_creator: dict[str, list[CreatorAccountRow]] = {i: [] for i in ids}
    if ids:
        query = select(CreatorAccountRow).where(
            CreatorAccountRow.tenant == tenant, CreatorAccountRow.creator_id.in_(ids)
        )
        for account in (await uow.session.execute(query)).scalars():
            by_creator[account.creator_id].append(account)
    for accounts in by_creator.values():
        accounts.sort(key=lambda r: (-r.followers, r.network, r.network_id))
    return [(c, by_creator[c.id]) for c in creators]


async def get(uow: UnitOfWork, who: Principal, name: str) -> Described:
    require_reader(who, READ_SCOPE)
    _, creator_id = CREATOR.parse_in_tenant(name, who.tenant)
    row = await load(uow, CreatorRow, "creator", who.tenant, creator_id, name)
    return (await describe(uow, who.tenant, [row]))[0]


async def list_(
    uow: UnitOfWork, who: Principal, parent: str, size: int, token: str
) -> tuple[list[Described], str]:
    require_parent(parent, who.tenant)
    require_reader(who, READ_SCOPE)
    query = select(CreatorRow).where(CreatorRow.tenant == who.tenant)
    rows, next_token = await page(uow, query, CreatorRow, size, token, ["creators", who.tenant])
    return await describe(uow, who.tenant, rows), next_token


async def batch_get(
    uow: UnitOfWork, who: Principal, parent: str, names: Sequence[str]
) -> list[Described]:
    require_parent(parent, who.tenant)
    require_reader(who, READ_SCOPE)
    require_batch_size(names)
    ids = [CREATOR.parse_in_tenant(n, who.tenant, "names")[1] for n in names]
    found = await batch(uow, CreatorRow, who.tenant, ids)
    missing = [n for n, i in zip(names, ids, strict=True) if i not in found]
    if missing:
        raise NotFound("creator", missing[0])
    return await describe(uow, who.tenant, [found[i] for i in ids])


async def snapshots(
    uow: UnitOfWork, who: Principal, parent: str, size: int, token: str
) -> tuple[list[CreatorSnapshotRow], str]:
    """Newest first."""
    creator, _ = await get(uow, who, parent)
    fingerprint = ["snapshots", who.tenant, creator.id]
    limit = page_size(size)
    after = decode_page_token(token, fingerprint)
    query = select(CreatorSnapshotRow).where(
        CreatorSnapshotRow.tenant == who.tenant, CreatorSnapshotRow.creator_id == creator.id
    )
    if after:
        query = query.where(CreatorSnapshotRow.id < str(after[0]))
    query = query.order_by(CreatorSnapshotRow.id.desc()).limit(limit + 1)
    rows = list((await uow.session.execute(query)).scalars())
    next_token = encode_page_token([rows[limit - 1].id], fingerprint) if len(rows) > limit else ""
    return rows[:limit], next_token
