"""Writing creators: one path for the gRPC import, the CSV import and discovery from mentions.

Idempotent by (tenant, network, network_id): a profile whose accounts are already known updates
that creator, and one whose figures did not change changes nothing (no version, no snapshot).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import select, tuple_
from vigie_runtime.clock import now
from vigie_runtime.ids import new_id
from vigie_runtime.uow import UnitOfWork

from vigie_partnerships.adapters.orm import CreatorAccountRow, CreatorRow, CreatorSnapshotRow
from vigie_partnerships.app.vetting import rescore
from vigie_partnerships.domain.creators import Account, Profile, RefusedCreator


class Outcome(StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


@dataclass(frozen=True)
class Stored:
    outcome: Outcome
    creator: CreatorRow


async def store_profile(uow: UnitOfWork, tenant: str, profile: Profile, origin: str) -> Stored:
    """Creates or updates the creator owning `profile`'s accounts. With origin "discovery" the
    lists are merged and the display name kept; an import replaces them."""
    keys = [(a.network, a.network_id) for a in profile.accounts]
    known = await _accounts(uow, tenant, keys)
    owners = {row.creator_id for row in known.values()}
    if len(owners) > 1:
        raise RefusedCreator(
            "ACCOUNTS_OF_TWO_CREATORS", "these accounts belong to two different creators"
        )
    moment = now()
    if not owners:
        creator = CreatorRow(
            id=new_id(), tenant=tenant, origin=origin, version=1, created_at=moment
        )
        creator.updated_at = moment
        _describe(creator, profile, merge=False)
        uow.session.add(creator)
        accounts = [_new_account(tenant, creator.id, a) for a in profile.accounts]
        uow.session.add_all(accounts)
        await _after_change(uow, creator, accounts, counts_changed=True)
        return Stored(Outcome.CREATED, creator)
    creator = await uow.session.get_one(CreatorRow, owners.pop())
    changed = _describe(creator, profile, merge=origin == "discovery")
    counts_changed = False
    for account in profile.accounts:
        row = known.get((account.network, account.network_id))
        if row is None:
            uow.session.add(_new_account(tenant, creator.id, account))
            counts_changed = True
        else:
            counts_changed |= _update_account(row, account, keep_unknown=origin == "discovery")
    if not (changed or counts_changed):
        return Stored(Outcome.UNCHANGED, creator)
    creator.version += 1
    creator.updated_at = moment
    all_accounts = await accounts_of(uow, tenant, creator.id)
    await _after_change(uow, creator, all_accounts, counts_changed)
    return Stored(Outcome.UPDATED, creator)


async def accounts_of(uow: UnitOfWork, tenant: str, creator_id: str) -> list[CreatorAccountRow]:
    query = select(CreatorAccountRow).where(
        CreatorAccountRow.tenant == tenant, CreatorAccountRow.creator_id == creator_id
    )
    rows = (await uow.session.execute(query)).scalars().all()
    return sorted(rows, key=lambda r: (-r.followers, r.network, r.network_id))


async def _accounts(
    uow: UnitOfWork, tenant: str, keys: Sequence[tuple[str, str]]
) -> dict[tuple[str, str], CreatorAccountRow]:
    query = select(CreatorAccountRow).where(
        CreatorAccountRow.tenant == tenant,
        tuple_(CreatorAccountRow.network, CreatorAccountRow.network_id).in_(list(keys)),
    )
    return {(r.network, r.network_id): r for r in (await uow.session.execute(query)).scalars()}


def _describe(creator: CreatorRow, profile: Profile, merge: bool) -> bool:
    """Sets the profile's fields; True when one changed."""
    before = (creator.display_name, creator.languages, creator.countries, creator.topics)
    if merge:
        creator.display_name = creator.display_name or profile.display_name
        creator.languages = list(dict.fromkeys([*(creator.languages or []), *profile.languages]))
        creator.countries = list(dict.fromkeys([*(creator.countries or []), *profile.countries]))
        creator.topics = list(dict.fromkeys([*(creator.topics or []), *profile.topics]))
    else:
        creator.display_name = profile.display_name
        creator.languages = list(profile.languages)
        creator.countries = list(profile.countries)
        creator.topics = list(profile.topics)
    creator.languages_text = _joined(creator.languages)
    creator.countries_text = _joined(creator.countries)
    creator.topics_text = _joined(creator.topics)
    return before != (creator.display_name, creator.languages, creator.countries, creator.topics)


def _joined(values: Sequence[str]) -> str:
    return "|" + "".join(f"{v}|" for v in values)


def _new_account(tenant: str, creator_id: str, account: Account) -> CreatorAccountRow:
    row = CreatorAccountRow(
        tenant=tenant, network=account.network, network_id=account.network_id, creator_id=creator_id
    )
    row.followers = row.following = row.posts = 0
    row.mean_engagements_per_post = 0.0
    _update_account(row, account, keep_unknown=False)
    return row


def _update_account(row: CreatorAccountRow, account: Account, keep_unknown: bool) -> bool:
    """Copies the account's figures; with `keep_unknown`, a 0 (unknown) keeps the stored one."""
    before = _figures(row)
    row.handle = account.handle
    row.profile_url = account.profile_url or (row.profile_url if keep_unknown else "")
    row.opened_at = account.opened_at or (row.opened_at if keep_unknown else None)
    for field in ("followers", "following", "posts", "mean_engagements_per_post"):
        value = getattr(account, field)
        if value or not keep_unknown:
            setattr(row, field, value)
    return before != _figures(row)


def _figures(row: CreatorAccountRow) -> tuple[object, ...]:
    return (
        row.handle,
        row.followers,
        row.following,
        row.posts,
        row.profile_url,
        row.opened_at,
        row.mean_engagements_per_post,
    )


async def _after_change(
    uow: UnitOfWork, creator: CreatorRow, accounts: list[CreatorAccountRow], counts_changed: bool
) -> None:
    accounts = sorted(accounts, key=lambda r: (-r.followers, r.network, r.network_id))
    handles = " ".join(a.handle.lower() for a in accounts)
    creator.search_text = f"{creator.display_name.lower()} {handles} {' '.join(creator.topics)}"
    creator.followers = accounts[0].followers if accounts else 0
    if counts_changed:
        uow.session.add(snapshot_of(creator, accounts))
    await uow.session.flush()
    await rescore(uow, creator, accounts)


def snapshot_of(creator: CreatorRow, accounts: list[CreatorAccountRow]) -> CreatorSnapshotRow:
    primary = accounts[0] if accounts else None
    return CreatorSnapshotRow(
        id=new_id(),
        tenant=creator.tenant,
        creator_id=creator.id,
        accounts=[
            {
                "network": a.network,
                "handle": a.handle,
                "network_id": a.network_id,
                "followers": a.followers,
                "following": a.following,
                "posts": a.posts,
                "mean_engagements_per_post": a.mean_engagements_per_post,
            }
            for a in accounts
        ],
        followers=primary.followers if primary else 0,
        mean_engagements_per_post=primary.mean_engagements_per_post if primary else 0.0,
        posts_sampled=0,
        captured_at=now(),
    )
