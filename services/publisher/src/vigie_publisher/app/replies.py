"""Writing a reply to a mention of the inbox: its account, its text (typed, or a saved reply in
the mention's language), the policy's verdict (wait for a manager, or go out now)."""

from sqlalchemy import select
from vigie.publisher.v1 import replies_pb2 as rp
from vigie_runtime import idempotency
from vigie_runtime.errors import FailedPrecondition, InvalidArgument, NotFound
from vigie_runtime.ids import new_id
from vigie_runtime.principal import Principal, Role
from vigie_runtime.uow import UnitOfWork

from vigie_publisher.adapters.orm import (
    KnownBrandRow,
    ReplyRow,
    ReplyTargetRow,
    SavedReplyRow,
    SocialAccountRow,
)
from vigie_publisher.app import policies, queues, reply_dispatch, reply_targets, reply_views
from vigie_publisher.app import saved_replies as saved
from vigie_publisher.app.accounts import own_brand, subsidiary_of
from vigie_publisher.app.common import now
from vigie_publisher.app.names import REPLY, SOCIAL_ACCOUNT
from vigie_publisher.app.posts import PostRejected
from vigie_publisher.domain.posts import text_problems
from vigie_publisher.domain.replies import (
    ReplyContext,
    approval_reason,
    choose_variant,
    missing_variables,
    render,
)
from vigie_publisher.domain.text import Network

WRITERS = (Role.GROUP_ADMIN, Role.SOCIAL_MEDIA_MANAGER, Role.COMMUNITY_MANAGER)
MANAGERS = (Role.GROUP_ADMIN, Role.SOCIAL_MEDIA_MANAGER)
MAX_TEXT = 10_000
_CREATE = "CreateReply"


async def _account(
    uow: UnitOfWork, who: Principal, brand_id: str, target: ReplyTargetRow, name: str
) -> SocialAccountRow:
    """The named account of the brand, or the brand's account on the mention's network."""
    if not target.network:
        raise FailedPrecondition(
            "MENTION_NOT_REPLYABLE", "the mention came from a feed or a partner, not a network"
        )
    query = select(SocialAccountRow).where(
        SocialAccountRow.tenant == who.tenant,
        SocialAccountRow.brand_id == brand_id,
        SocialAccountRow.deleted.is_(False),
    )
    if name:
        _, brand, account_id = SOCIAL_ACCOUNT.parse_in_tenant(name, who.tenant, "social_account")
        found = await uow.session.get(SocialAccountRow, account_id)
        if found is None or found.tenant != who.tenant or found.deleted or brand != brand_id:
            raise InvalidArgument(
                "social_account", "not an account of this brand", "UNKNOWN_ACCOUNT"
            )
        if found.network != target.network:
            raise InvalidArgument(
                "social_account", f"the mention is on {target.network}", "NETWORK_MISMATCH"
            )
        return found
    query = query.where(SocialAccountRow.network == target.network).order_by(SocialAccountRow.id)
    account = (await uow.session.execute(query.limit(1))).scalars().first()
    if account is None:
        raise FailedPrecondition(
            "NO_ACCOUNT_ON_NETWORK",
            f"the brand has no account on {target.network or 'its network'}",
        )
    return account


async def _text(
    uow: UnitOfWork, who: Principal, request: rp.CreateReplyRequest, brand_id: str, language: str
) -> tuple[str, str, str]:
    """(text, language, saved reply id): the text typed, or the saved reply rendered."""
    if bool(request.text.strip()) == bool(request.saved_reply):
        raise InvalidArgument("text", "set either text or saved_reply", "TEXT_OR_SAVED_REPLY")
    if request.text:
        if len(request.text) > MAX_TEXT:
            raise InvalidArgument("text", f"at most {MAX_TEXT} characters", "TEXT_TOO_LARGE")
        return request.text, language, ""
    template = await saved.get(uow, who, request.saved_reply, "saved_reply")
    if template.brand_id != brand_id:
        raise NotFound("saved_reply", request.saved_reply)
    text, chosen = rendered(template, language, dict(request.variables))
    return text, chosen, template.id


def rendered(template: SavedReplyRow, language: str, values: dict[str, str]) -> tuple[str, str]:
    """(text, language of the variant) of a saved reply; MISSING_TEMPLATE_VARIABLE names every
    variable without a value."""
    variant = choose_variant(saved.variants_of(template), language, template.default_language)
    missing = missing_variables(variant.text, values)
    if missing:
        raise InvalidArgument(
            "variables", f"no value for {', '.join(missing)}", "MISSING_TEMPLATE_VARIABLE"
        )
    return render(variant.text, values), variant.language


async def _in_crisis(uow: UnitOfWork, tenant: str, brand_id: str) -> bool:
    queue = await queues.queue_of(uow, tenant, brand_id)
    return bool(queue.held and "/crises/" in queue.held_by)


async def _reason(
    uow: UnitOfWork, who: Principal, brand: KnownBrandRow, target: ReplyTargetRow
) -> str:
    policy = await policies.policy_for(uow, who.tenant, brand.subsidiary_id, brand.id)
    context = ReplyContext(
        author_is_community_manager=not who.holds(MANAGERS, subsidiary_of(brand)),
        author_followers=target.author_followers,
        reach_threshold=policy.reply_reach_threshold if policy else 0,
        brand_in_crisis=await _in_crisis(uow, who.tenant, brand.id),
    )
    return approval_reason(context)


async def create(uow: UnitOfWork, who: Principal, request: rp.CreateReplyRequest) -> ReplyRow:
    brand = await own_brand(uow, who, request.parent, "parent")
    who.require(WRITERS, subsidiary_of(brand))
    if earlier := await idempotency.created_before(uow, who.tenant, request.request_id, _CREATE):
        return await reply_views.get(uow, who, earlier)
    target = await reply_targets.target(uow, who, request.in_reply_to, "in_reply_to")
    if target.brand_id != brand.id:
        raise NotFound("mention", request.in_reply_to)
    account = await _account(uow, who, brand.id, target, request.social_account)
    text, language, saved_id = await _text(uow, who, request, brand.id, target.language)
    problems = text_problems(Network(account.network), text, "text", None)
    if problems:
        raise PostRejected(problems)
    reason = await _reason(uow, who, brand, target)
    moment = now()
    row = ReplyRow(
        id=new_id(),
        tenant=who.tenant,
        brand_id=brand.id,
        subsidiary_id=brand.subsidiary_id,
        mention_id=target.mention_id,
        inbox_item=target.inbox_item,
        account_id=account.id,
        network=account.network,
        text=text,
        language=language,
        saved_reply_id=saved_id,
        state="pending_approval" if reason else "queued",
        author=who.subject,
        approval_reason=reason,
        version=1,
        created_at=moment,
        updated_at=moment,
    )
    uow.session.add(row)
    if not reason:
        reply_dispatch.queue(uow, row, target, moment)
    await uow.session.flush()
    name = REPLY.format(who.tenant, brand.id, row.id)
    await idempotency.remember(uow, who.tenant, request.request_id, _CREATE, name)
    return row
