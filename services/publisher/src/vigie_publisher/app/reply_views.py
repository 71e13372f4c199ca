"""Reply rows as the contract's messages, and reading them within the caller's tenant."""

from sqlalchemy import select
from vigie.publisher.v1 import replies_pb2 as rp
from vigie_runtime.errors import NotFound
from vigie_runtime.principal import READ_ROLES, Principal
from vigie_runtime.resource_names import require_parent
from vigie_runtime.tenant_rows import Listed, list_page
from vigie_runtime.uow import UnitOfWork

from vigie_publisher.adapters.orm import ReplyRow
from vigie_publisher.app.accounts import subsidiary_of
from vigie_publisher.app.common import load
from vigie_publisher.app.names import BRAND, MENTION, REPLY, SAVED_REPLY, SOCIAL_ACCOUNT, SUBSIDIARY
from vigie_publisher.app.networks import to_proto
from vigie_publisher.app.views import stamp

STATES = {
    "pending_approval": rp.REPLY_STATE_PENDING_APPROVAL,
    "queued": rp.REPLY_STATE_QUEUED,
    "publishing": rp.REPLY_STATE_PUBLISHING,
    "published": rp.REPLY_STATE_PUBLISHED,
    "failed": rp.REPLY_STATE_FAILED,
    "rejected": rp.REPLY_STATE_REJECTED,
}
_BY_NUMBER = {number: name for name, number in STATES.items()}


def mention_name(row: ReplyRow) -> str:
    return MENTION.format(row.tenant, row.brand_id, row.mention_id)


def view(row: ReplyRow) -> rp.Reply:
    message = rp.Reply(
        name=REPLY.format(row.tenant, row.brand_id, row.id),
        in_reply_to=mention_name(row),
        social_account=SOCIAL_ACCOUNT.format(row.tenant, row.brand_id, row.account_id),
        network=to_proto(row.network),
        text=row.text,
        language=row.language,
        saved_reply=(
            SAVED_REPLY.format(row.tenant, row.brand_id, row.saved_reply_id)
            if row.saved_reply_id
            else ""
        ),
        state=STATES.get(row.state, rp.REPLY_STATE_UNSPECIFIED),
        inbox_item=row.inbox_item,
        author=row.author,
        approval_reason=row.approval_reason,
        reviewer=row.reviewer,
        review_comment=row.review_comment,
        external_id=row.external_id,
        url=row.url,
        failure_reason=row.failure_reason,
        create_time=stamp(row.created_at),
        update_time=stamp(row.updated_at),
        etag=str(row.version),
    )
    if row.published_at is not None:
        message.publish_time.CopyFrom(stamp(row.published_at))
    return message


async def get(uow: UnitOfWork, who: Principal, name: str) -> ReplyRow:
    _, brand_id, reply_id = REPLY.parse_in_tenant(name, who.tenant)
    row = await load(uow, ReplyRow, "reply", who.tenant, reply_id, name)
    if row.brand_id != brand_id:
        raise NotFound("reply", name)
    who.require(READ_ROLES, subsidiary_of(row))
    return row


ORDERS = {"create_time": ReplyRow.created_at, "update_time": ReplyRow.updated_at}


async def list_(
    uow: UnitOfWork, who: Principal, request: rp.ListRepliesRequest
) -> Listed[ReplyRow]:
    query = select(ReplyRow).where(ReplyRow.tenant == who.tenant)
    if request.parent.count("/") > 1:
        brand_id = BRAND.parse_in_tenant(request.parent, who.tenant, "parent")[1]
        query = query.where(ReplyRow.brand_id == brand_id)
    else:
        require_parent(request.parent, who.tenant)
    allowed = who.subsidiaries_with(READ_ROLES)
    if allowed is not None:
        query = query.where(ReplyRow.subsidiary_id.in_([SUBSIDIARY.parse(n)[1] for n in allowed]))
    states = [_BY_NUMBER[s] for s in request.states if s in _BY_NUMBER]
    if request.states:
        query = query.where(ReplyRow.state.in_(states))
    if request.in_reply_to:
        _, brand, mention = MENTION.parse_in_tenant(request.in_reply_to, who.tenant, "in_reply_to")
        query = query.where(ReplyRow.brand_id == brand, ReplyRow.mention_id == mention)
    fingerprint = ["replies", who.tenant, request.parent, sorted(states), request.in_reply_to]
    return await list_page(uow, query, ReplyRow, request, fingerprint, ORDERS)
