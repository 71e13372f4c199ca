"""The thread an item's mention belongs to: what it replies to, up to the brand's own post or
the first mention the listener did not capture, and the captured replies to it."""

from sqlalchemy import select
from vigie.listener.v1 import inbox_pb2 as rpc
from vigie.publisher.v1 import resources_pb2 as publisher
from vigie_runtime.principal import Principal
from vigie_runtime.uow import UnitOfWork

from vigie_listener.adapters.orm import MentionRow, MentionThreadRow, PublishedPostRow
from vigie_listener.app import views
from vigie_listener.app.inbox_items import readable_item
from vigie_listener.app.names import INBOX_ITEM

# Threads deeper or wider than this are cut: a conversation view, not an archive.
MAX_ANCESTORS = 20
MAX_REPLIES = 100
_POST = "tenants/{}/brands/{}/posts/{}"


async def conversation(uow: UnitOfWork, who: Principal, name: str) -> rpc.Conversation:
    item = await readable_item(uow, who, name)
    mention = await uow.session.get(MentionRow, item.mention_id)
    answer = rpc.Conversation(inbox_item=INBOX_ITEM.format(item.tenant, item.brand_id, item.id))
    if mention is None or mention.tenant != item.tenant:
        return answer
    answer.entries.extend(await _ancestors(uow, mention))
    answer.entries.append(
        rpc.ConversationEntry(role=rpc.CONVERSATION_ROLE_ITEM, mention=views.mention(mention))
    )
    answer.entries.extend(await _replies(uow, mention))
    return answer


async def _ancestors(uow: UnitOfWork, mention: MentionRow) -> list[rpc.ConversationEntry]:
    found: list[rpc.ConversationEntry] = []
    seen = {mention.id}
    current = mention
    while len(found) < MAX_ANCESTORS and current.reply_to:
        references = [r for r in current.reply_to if r]
        own = await _own_post(uow, mention.tenant, references)
        if own is not None:
            found.append(rpc.ConversationEntry(role=rpc.CONVERSATION_ROLE_ANCESTOR, own_post=own))
            break
        parent = await _captured(uow, mention.tenant, mention.brand_id, references)
        if parent is None or parent.id in seen:
            break
        seen.add(parent.id)
        found.append(
            rpc.ConversationEntry(
                role=rpc.CONVERSATION_ROLE_ANCESTOR, mention=views.mention(parent)
            )
        )
        current = parent
    return list(reversed(found))


async def _own_post(uow: UnitOfWork, tenant: str, references: list[str]) -> rpc.OwnPost | None:
    query = select(PublishedPostRow).where(
        PublishedPostRow.tenant == tenant, PublishedPostRow.reference.in_(references)
    )
    row = (await uow.session.execute(query.limit(1))).scalar_one_or_none()
    if row is None:
        return None
    return rpc.OwnPost(
        post=_POST.format(row.tenant, row.brand_id, row.post_id),
        reference=row.reference,
        network=_network(row.network),
        publish_time=views.stamp(row.published_at),
    )


def _network(number: int) -> str:
    try:
        return publisher.Network.Name(number).removeprefix("NETWORK_").lower()  # type: ignore[arg-type]
    except ValueError:
        return ""


async def _captured(
    uow: UnitOfWork, tenant: str, brand_id: str, references: list[str]
) -> MentionRow | None:
    query = select(MentionThreadRow.mention_id).where(
        MentionThreadRow.tenant == tenant,
        MentionThreadRow.brand_id == brand_id,
        MentionThreadRow.external_id.in_(references),
    )
    mention_id = (await uow.session.execute(query.limit(1))).scalar_one_or_none()
    return None if mention_id is None else await uow.session.get(MentionRow, mention_id)


async def _replies(uow: UnitOfWork, mention: MentionRow) -> list[rpc.ConversationEntry]:
    references = [r for r in (mention.external_id, mention.url) if r]
    query = (
        select(MentionRow)
        .join(MentionThreadRow, MentionThreadRow.mention_id == MentionRow.id)
        .where(
            MentionThreadRow.tenant == mention.tenant,
            MentionThreadRow.brand_id == mention.brand_id,
            MentionThreadRow.parent_reference.in_(references),
        )
        .order_by(MentionThreadRow.publish_time, MentionThreadRow.mention_id)
        .limit(MAX_REPLIES)
    )
    return [
        rpc.ConversationEntry(role=rpc.CONVERSATION_ROLE_REPLY, mention=views.mention(row))
        for row in (await uow.session.execute(query)).scalars()
    ]
