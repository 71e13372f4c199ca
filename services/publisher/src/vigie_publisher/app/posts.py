"""Posts of a brand: drafted by its community managers, every variant checked before it moves."""

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from vigie.publisher.v1 import resources_pb2 as pb
from vigie_runtime import idempotency
from vigie_runtime.errors import AppError, Code, InvalidArgument, NotFound
from vigie_runtime.ids import new_id
from vigie_runtime.principal import READ_ROLES, Principal, Role
from vigie_runtime.uow import UnitOfWork

from vigie_publisher.adapters.orm import AuditEntryRow, PostRow, SocialAccountRow
from vigie_publisher.app import variant_codec as codec
from vigie_publisher.app.accounts import own_brand, subsidiary_of
from vigie_publisher.app.common import load, now, utc
from vigie_publisher.app.names import POST, SOCIAL_ACCOUNT
from vigie_publisher.domain.posts import PostDraft, Problem, Variant, as_thread, draft_problems
from vigie_publisher.domain.text import Network

WRITERS = (Role.GROUP_ADMIN, Role.SOCIAL_MEDIA_MANAGER, Role.COMMUNITY_MANAGER)
MAX_ACCOUNTS = 100


class PostRejected(AppError):
    """A post's content breaks a network's rules; the message lists every problem, located."""

    code = Code.INVALID_ARGUMENT

    def __init__(self, problems: Sequence[Problem]) -> None:
        listed = "; ".join(str(p) for p in problems)
        super().__init__(problems[0].code, listed, field=problems[0].where)
        self.problems = list(problems)


async def accounts_of(
    uow: UnitOfWork, who: Principal, brand_id: str, names: Sequence[str]
) -> list[SocialAccountRow]:
    """The brand's connected accounts named; an unknown or foreign one is refused."""
    if not names or len(names) > MAX_ACCOUNTS:
        raise InvalidArgument("social_accounts", f"1 to {MAX_ACCOUNTS} accounts", "NO_ACCOUNT")
    ids = [SOCIAL_ACCOUNT.parse_in_tenant(n, who.tenant, "social_accounts") for n in names]
    query = select(SocialAccountRow).where(
        SocialAccountRow.tenant == who.tenant,
        SocialAccountRow.id.in_([i[2] for i in ids]),
        SocialAccountRow.deleted.is_(False),
    )
    found = {r.id: r for r in (await uow.session.execute(query)).scalars()}
    for name, (_, brand, account_id) in zip(names, ids, strict=True):
        row = found.get(account_id)
        if row is None or row.brand_id != brand_id or brand != brand_id:
            raise InvalidArgument(
                "social_accounts", f"{name} is not an account of this brand", "UNKNOWN_ACCOUNT"
            )
    return [found[i[2]] for i in dict.fromkeys(ids)]


def checked_variants(
    variants: list[Variant], accounts: Sequence[SocialAccountRow]
) -> list[Variant]:
    """Long texts made threads where allowed; every variant checked, all problems at once."""
    shaped = [as_thread(v) for v in variants]
    targets = frozenset((Network(a.network), a.language) for a in accounts)
    problems = draft_problems(PostDraft(tuple(shaped), targets))
    if problems:
        raise PostRejected(problems)
    return shaped


def deadline(source: pb.Post, moment: datetime) -> datetime | None:
    if not source.HasField("approval_deadline"):
        return None
    value = utc(source.approval_deadline.ToDatetime())
    if value <= moment:
        raise InvalidArgument("approval_deadline", "must be in the future", "PAST_DATE")
    return value


async def create(
    uow: UnitOfWork, who: Principal, parent: str, source: pb.Post, request_id: str
) -> PostRow:
    brand = await own_brand(uow, who, parent, "parent")
    who.require(WRITERS, subsidiary_of(brand))
    earlier = await idempotency.created_before(uow, who.tenant, request_id, "CreatePost")
    if earlier:
        return await get(uow, who, earlier)
    accounts = await accounts_of(uow, who, brand.id, source.social_accounts)
    variants = checked_variants(codec.variants_from_proto(source.variants), accounts)
    moment = now()
    row = PostRow(
        id=new_id(),
        tenant=who.tenant,
        brand_id=brand.id,
        subsidiary_id=brand.subsidiary_id,
        author=who.subject,
        status="draft",
        variants=[codec.to_json(v) for v in variants],
        account_ids=[a.id for a in accounts],
        schedule_at=None,
        approval_deadline=deadline(source, moment),
        stages=[],
        stage_index=0,
        version=1,
        created_at=moment,
        updated_at=moment,
    )
    uow.session.add(row)
    await uow.session.flush()
    name = POST.format(who.tenant, brand.id, row.id)
    await idempotency.remember(uow, who.tenant, request_id, "CreatePost", name)
    return row


async def get(uow: UnitOfWork, who: Principal, name: str) -> PostRow:
    _, brand_id, post_id = POST.parse_in_tenant(name, who.tenant)
    row = await load(uow, PostRow, "post", who.tenant, post_id, name)
    if row.brand_id != brand_id:
        raise NotFound("post", name)
    who.require(READ_ROLES, subsidiary_of(row))
    return row


async def trail(uow: UnitOfWork, row: PostRow) -> list[AuditEntryRow]:
    subject = POST.format(row.tenant, row.brand_id, row.id)
    query = select(AuditEntryRow).where(
        AuditEntryRow.tenant == row.tenant, AuditEntryRow.subject == subject
    )
    return list(
        (await uow.session.execute(query.order_by(AuditEntryRow.at, AuditEntryRow.id))).scalars()
    )
