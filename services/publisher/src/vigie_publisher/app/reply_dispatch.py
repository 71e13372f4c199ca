"""A reply goes out through the posts' dispatcher: one `PublicationRow` (reply_id set) claimed,
leased, reconciled and confirmed exactly like a post's; here, what it starts and what its end
does to the reply (state, network ids, `reply.published` / `reply.failed` in the outbox)."""

from datetime import datetime

from sqlalchemy import select
from vigie.publisher.v1 import events_pb2
from vigie_runtime.ids import new_id
from vigie_runtime.uow import UnitOfWork

from vigie_publisher.adapters.orm import PublicationRow, ReplyRow, ReplyTargetRow
from vigie_publisher.app import events, reply_views
from vigie_publisher.app import variant_codec as codec
from vigie_publisher.app.views import stamp
from vigie_publisher.domain.posts import Part, Variant
from vigie_publisher.domain.text import Network

# The variant's key for the network id (or URI) of the post answered.
IN_REPLY_TO = "in_reply_to"


def queue(uow: UnitOfWork, reply: ReplyRow, target: ReplyTargetRow, moment: datetime) -> None:
    """The reply's one publication, due now. Its id is the adapters' idempotency key."""
    variant = codec.to_json(Variant(Network(reply.network), reply.language, (Part(reply.text),)))
    variant[IN_REPLY_TO] = target.external_id
    publication = PublicationRow(
        id=new_id(),
        tenant=reply.tenant,
        brand_id=reply.brand_id,
        post_id="",
        reply_id=reply.id,
        account_id=reply.account_id,
        network=reply.network,
        state="scheduled",
        variant=variant,
        due_at=moment,
        not_before=moment,
        attempts=0,
        updated_at=moment,
    )
    uow.session.add(publication)
    reply.publication_id = publication.id
    reply.state = "queued"


async def _replies(uow: UnitOfWork, rows: list[PublicationRow]) -> dict[str, ReplyRow]:
    ids = [r.reply_id for r in rows if r.reply_id]
    if not ids:
        return {}
    query = select(ReplyRow).where(ReplyRow.id.in_(ids)).with_for_update()
    return {r.id: r for r in (await uow.session.execute(query)).scalars()}


async def published(uow: UnitOfWork, rows: list[PublicationRow], moment: datetime) -> None:
    """Replies whose publication was just confirmed (each publication confirmed once)."""
    replies = await _replies(uow, rows)
    for publication in rows:
        reply = replies.get(publication.reply_id)
        if reply is None or reply.state == "published":
            continue
        reply.state, reply.external_id = "published", publication.external_id
        reply.url = publication.external_uri
        reply.published_at, reply.updated_at = moment, moment
        reply.version += 1
        message = events_pb2.ReplyPublished(
            reply=reply_views.view(reply),
            mention=reply_views.mention_name(reply),
            inbox_item=reply.inbox_item,
            author=reply.author,
            publish_time=stamp(moment),
        )
        uow.emit(events.REPLY_PUBLISHED, reply.tenant, message)


async def failed(
    uow: UnitOfWork, publication: PublicationRow, reason: str, moment: datetime
) -> None:
    reply = (await _replies(uow, [publication])).get(publication.reply_id)
    if reply is None or reply.state in ("published", "failed"):
        return
    reply.state, reply.failure_reason = "failed", publication.last_error or reason
    reply.updated_at, reply.version = moment, reply.version + 1
    message = events_pb2.ReplyFailed(
        reply=reply_views.view(reply),
        mention=reply_views.mention_name(reply),
        inbox_item=reply.inbox_item,
        reason=reason,
    )
    uow.emit(events.REPLY_FAILED, reply.tenant, message)
