"""Reply targets: the mentions of a brand's inbox, as the listener opened them. A reply can only
answer one of these, so it always answers a mention of its own tenant and brand."""

from vigie_runtime.errors import NotFound
from vigie_runtime.principal import Principal
from vigie_runtime.uow import UnitOfWork

from vigie_publisher.adapters.orm import ReplyTargetRow
from vigie_publisher.app.common import now
from vigie_publisher.app.names import MENTION

# The listener's SourceKind numbers (vigie.listener.v1) of the networks a reply can go to.
SOURCE_NETWORKS = {1: "bluesky", 2: "mastodon"}


async def remember(
    uow: UnitOfWork,
    tenant: str,
    mention: str,
    subsidiary_id: str,
    source_kind: int,
    external_id: str,
    url: str,
    language: str,
    author_followers: int,
    inbox_item: str,
) -> None:
    """Idempotent: a redelivered or repeated opening keeps the first row (refreshing the
    inbox item and reach, which the listener may have recomputed)."""
    _, brand_id, mention_id = MENTION.parse(mention)
    row = await uow.session.get(ReplyTargetRow, (tenant, brand_id, mention_id))
    if row is None:
        uow.session.add(
            ReplyTargetRow(
                tenant=tenant,
                brand_id=brand_id,
                mention_id=mention_id,
                subsidiary_id=subsidiary_id,
                network=SOURCE_NETWORKS.get(source_kind, ""),
                external_id=external_id[:500],
                url=url[:500],
                language=language[:35],
                author_followers=max(author_followers, 0),
                inbox_item=inbox_item[:300],
                created_at=now(),
            )
        )
        return
    row.inbox_item = inbox_item[:300] or row.inbox_item
    row.author_followers = max(author_followers, 0)


async def target(uow: UnitOfWork, who: Principal, mention: str, field: str) -> ReplyTargetRow:
    """The caller's tenant's mention in a brand's inbox; NOT_FOUND (MENTION_NOT_FOUND) else."""
    _, brand_id, mention_id = MENTION.parse_in_tenant(mention, who.tenant, field)
    row = await uow.session.get(ReplyTargetRow, (who.tenant, brand_id, mention_id))
    if row is None:
        raise NotFound("mention", mention)
    return row
