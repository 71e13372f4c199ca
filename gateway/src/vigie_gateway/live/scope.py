"""What a live subscriber may see: its tenant, its subsidiaries, until its token expires."""

import asyncio
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import TypeVar

from vigie.partnerships.v1 import partnerships_pb2 as partnerships
from vigie_runtime.principal import PrincipalKind, Role

from vigie_gateway.context import Context
from vigie_gateway.errors import graphql_error
from vigie_gateway.live.connection import expiry_of
from vigie_gateway.live.feeds import Feed, Item
from vigie_gateway.live.hub import EventHub
from vigie_gateway.live.queue import SlowConsumer
from vigie_gateway.schema.directory_types import load_brands

P = TypeVar("P")

# Every member's role may watch its subsidiaries; partner clients use the partner API instead.
READERS = tuple(role for role in Role if role is not Role.PARTNER)


@dataclass(frozen=True)
class Subscriber:
    context: Context
    hub: EventHub
    tenant: str
    subsidiaries: set[str] | None  # None: every subsidiary (group-wide roles)
    expires_at: float

    @classmethod
    def of(cls, context: Context) -> "Subscriber":
        who = context.who()
        if context.hub is None or context.token is None:
            raise graphql_error(
                "SUBSCRIPTIONS_NEED_WEBSOCKET",
                "subscribe over WebSocket (graphql-transport-ws)",
                "FAILED_PRECONDITION",
            )
        if who.kind is not PrincipalKind.USER:
            raise graphql_error(
                "USERS_ONLY", "live subscriptions are for members", "PERMISSION_DENIED"
            )
        return cls(
            context, context.hub, who.tenant, who.subsidiaries_with(READERS),
            expiry_of(context.token),
        )  # fmt: skip

    def covers(self, subsidiary: str) -> bool:
        return self.subsidiaries is None or subsidiary in self.subsidiaries

    async def require_brand(self, brand: str) -> None:
        """The brand must be the caller's tenant's, in one of its subsidiaries."""
        if not brand.startswith(f"tenants/{self.tenant}/brands/"):
            raise graphql_error("BRAND_NOT_FOUND", f"no brand {brand}", "NOT_FOUND")
        found = (await load_brands(self.context, [brand]))[0]
        if not self.covers(found.subsidiary_id):
            raise graphql_error(
                "SUBSIDIARY_NOT_GRANTED", "you hold no role in this brand's subsidiary",
                "PERMISSION_DENIED",
            )  # fmt: skip

    async def require_campaign(self, campaign: str | None) -> None:
        """A campaign the caller can read; all campaigns only for group-wide roles."""
        if campaign is None:
            if self.subsidiaries is not None:
                raise graphql_error(
                    "CAMPAIGN_REQUIRED", "name a campaign (you hold no group-wide role)",
                    "PERMISSION_DENIED",
                )  # fmt: skip
            return
        if not campaign.startswith(f"tenants/{self.tenant}/campaigns/"):
            raise graphql_error("CAMPAIGN_NOT_FOUND", f"no campaign {campaign}", "NOT_FOUND")
        request = partnerships.GetCampaignRequest(name=campaign)
        await self.context.call(self.context.clients.partnerships.GetCampaign, request)

    async def stream(self, feed: Feed[P]) -> AsyncIterator[Item[P]]:
        """The feed's items in the caller's subsidiaries; ends with an error when the token
        expires (TOKEN_EXPIRED) or the client reads too slowly (SLOW_CONSUMER)."""
        async with self.hub.listen(feed.producers, self.tenant) as queue:
            while True:
                remaining = self.expires_at - time.time()
                try:
                    if remaining <= 0:
                        raise TimeoutError
                    event = await asyncio.wait_for(queue.get(), remaining)
                except TimeoutError:
                    raise graphql_error(
                        "TOKEN_EXPIRED", "the token has expired: reconnect with a new one",
                        "UNAUTHENTICATED",
                    ) from None  # fmt: skip
                except SlowConsumer as behind:
                    raise graphql_error(
                        "SLOW_CONSUMER", str(behind), "RESOURCE_EXHAUSTED"
                    ) from None
                item = feed.convert(event)
                if item is not None and (item.subsidiary is None or self.covers(item.subsidiary)):
                    yield item
