"""A social media manager's decision on a reply that waits (approve: it goes out now; reject:
never), and rendering a saved reply for a mention without writing anything."""

from vigie.publisher.v1 import replies_pb2 as rp
from vigie_runtime.errors import FailedPrecondition, InvalidArgument, PermissionDenied
from vigie_runtime.field_masks import check_etag
from vigie_runtime.principal import Principal, Role
from vigie_runtime.uow import UnitOfWork

from vigie_publisher.adapters.orm import ReplyRow, ReplyTargetRow
from vigie_publisher.app import reply_dispatch, reply_targets, reply_views
from vigie_publisher.app import saved_replies as saved
from vigie_publisher.app.accounts import subsidiary_of
from vigie_publisher.app.common import now
from vigie_publisher.app.replies import MANAGERS, rendered

MAX_COMMENT = 2000


async def _pending(uow: UnitOfWork, who: Principal, name: str, etag: str) -> ReplyRow:
    row = await reply_views.get(uow, who, name)
    who.require(MANAGERS, subsidiary_of(row))
    if etag:
        check_etag(etag, row.version)
    if row.state != "pending_approval":
        raise FailedPrecondition("REPLY_NOT_PENDING_APPROVAL", f"the reply is {row.state}")
    if row.author == who.subject and not who.holds((Role.GROUP_ADMIN,), None):
        # The reason it waits is that someone else looks at it.
        raise PermissionDenied("SELF_APPROVAL", "a reply is reviewed by someone else")
    return row


def _reviewed(row: ReplyRow, who: Principal, comment: str) -> None:
    row.reviewer, row.review_comment = who.subject, comment[:MAX_COMMENT]
    row.version, row.updated_at = row.version + 1, now()


async def approve(uow: UnitOfWork, who: Principal, request: rp.ApproveReplyRequest) -> ReplyRow:
    row = await _pending(uow, who, request.name, request.etag)
    key = (row.tenant, row.brand_id, row.mention_id)
    target = await uow.session.get(ReplyTargetRow, key)
    if target is None:  # targets are never deleted; kept for a clear answer all the same
        raise FailedPrecondition("MENTION_GONE", "the mention is no longer in the inbox")
    _reviewed(row, who, request.comment)
    reply_dispatch.queue(uow, row, target, now())
    return row


async def reject(uow: UnitOfWork, who: Principal, request: rp.RejectReplyRequest) -> ReplyRow:
    if not request.comment.strip():
        raise InvalidArgument("comment", "say why the reply is rejected", "COMMENT_REQUIRED")
    row = await _pending(uow, who, request.name, request.etag)
    _reviewed(row, who, request.comment)
    row.state = "rejected"
    return row


async def render(
    uow: UnitOfWork, who: Principal, request: rp.RenderSavedReplyRequest
) -> rp.RenderSavedReplyResponse:
    template = await saved.get(uow, who, request.saved_reply, "saved_reply")
    language = request.language
    if request.mention:
        target = await reply_targets.target(uow, who, request.mention, "mention")
        if target.brand_id != template.brand_id:
            raise InvalidArgument("mention", "a mention of the saved reply's brand", "OTHER_BRAND")
        language = target.language
    elif language and len(language) > 35:
        raise InvalidArgument("language", "a BCP 47 tag", "INVALID_LANGUAGE")
    text, chosen = rendered(template, language, dict(request.variables))
    return rp.RenderSavedReplyResponse(text=text, language=chosen)
