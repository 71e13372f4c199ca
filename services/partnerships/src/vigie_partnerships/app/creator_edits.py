"""Creators made, changed and deleted one at a time by the tenant's managers. Accounts decide
who a creator is, so a creator whose account is already known is refused rather than doubled;
a creator under contract is never deleted."""

import dataclasses

from google.protobuf.field_mask_pb2 import FieldMask
from sqlalchemy import delete, func, select
from vigie.partnerships.v1 import resources_pb2 as pb
from vigie_runtime import idempotency
from vigie_runtime.errors import AlreadyExists, FailedPrecondition, InvalidArgument
from vigie_runtime.field_masks import check_etag, paths_to_update
from vigie_runtime.principal import Principal
from vigie_runtime.resource_names import require_parent
from vigie_runtime.uow import UnitOfWork

from vigie_partnerships.adapters.orm import (
    ContractRow,
    CreatorAccountRow,
    CreatorMentionRow,
    CreatorRow,
    CreatorSnapshotRow,
)
from vigie_partnerships.app.common import MANAGERS, require_anywhere
from vigie_partnerships.app.creator_store import accounts_of, store_profile
from vigie_partnerships.app.creators import IMPORT_SCOPE, Described, describe, get, profile_of
from vigie_partnerships.app.names import CREATOR
from vigie_partnerships.domain.creators import Account, Profile, RefusedCreator, checked_profile

UPDATABLE = ("display_name", "languages", "countries", "topics")


async def create(
    uow: UnitOfWork, who: Principal, parent: str, source: pb.Creator, request_id: str
) -> Described:
    require_parent(parent, who.tenant)
    require_anywhere(who, MANAGERS, IMPORT_SCOPE)
    earlier = await idempotency.created_before(uow, who.tenant, request_id, "CreateCreator")
    if earlier:
        return await get(uow, who, earlier)
    profile = _checked(profile_of(source))
    keys = [(who.tenant, a.network, a.network_id) for a in profile.accounts]
    for key in keys:
        if await uow.session.get(CreatorAccountRow, key) is not None:
            raise AlreadyExists(
                "CREATOR_EXISTS", f"the {key[1]} account {key[2]} already belongs to a creator"
            )
    stored = await _store(uow, who.tenant, profile)
    name = CREATOR.format(who.tenant, stored.id)
    await idempotency.remember(uow, who.tenant, request_id, "CreateCreator", name)
    return (await describe(uow, who.tenant, [stored]))[0]


async def update(uow: UnitOfWork, who: Principal, source: pb.Creator, mask: FieldMask) -> Described:
    require_anywhere(who, MANAGERS, IMPORT_SCOPE)
    paths = paths_to_update(mask, UPDATABLE)
    creator, accounts = await get(uow, who, source.name)
    check_etag(source.etag, creator.version)
    given = profile_of(source)
    current = Profile(
        creator.display_name, tuple(_account(a) for a in accounts), tuple(creator.languages),
        tuple(creator.countries), tuple(creator.topics),
    )  # fmt: skip
    changes = {p: getattr(given, p) for p in paths}
    stored = await _store(uow, who.tenant, _checked(dataclasses.replace(current, **changes)))
    return (await describe(uow, who.tenant, [stored]))[0]


async def delete_creator(uow: UnitOfWork, who: Principal, name: str, etag: str) -> None:
    require_anywhere(who, MANAGERS)
    creator, _ = await get(uow, who, name)
    check_etag(etag, creator.version)
    contracts = select(func.count()).where(
        ContractRow.tenant == who.tenant, ContractRow.creator_id == creator.id
    )
    if (await uow.session.execute(contracts)).scalar_one():
        raise FailedPrecondition(
            "CREATOR_HAS_CONTRACTS", "a creator with contracts is kept for their history"
        )
    for model in (CreatorAccountRow, CreatorSnapshotRow, CreatorMentionRow):
        await uow.session.execute(
            delete(model).where(model.tenant == who.tenant, model.creator_id == creator.id)
        )
    await uow.session.delete(creator)


def _checked(profile: Profile) -> Profile:
    try:
        return checked_profile(profile)
    except RefusedCreator as refused:
        raise InvalidArgument("creator", refused.message, refused.reason) from None


async def _store(uow: UnitOfWork, tenant: str, profile: Profile) -> CreatorRow:
    try:
        stored = await store_profile(uow, tenant, profile, "import")
    except RefusedCreator as refused:
        raise InvalidArgument("creator", refused.message, refused.reason) from None
    await accounts_of(uow, tenant, stored.creator.id)  # flushes: the rows exist for the reply
    return stored.creator


def _account(row: CreatorAccountRow) -> Account:
    return Account(
        row.network, row.handle, row.network_id, row.followers, row.following, row.posts,
        row.profile_url, row.opened_at, row.mean_engagements_per_post,
    )  # fmt: skip
