"""A Mastodon account's statistics (docs.joinmastodon.org/methods/accounts):
`GET /api/v1/accounts/lookup?acct=` (followers_count, following_count, statuses_count) and
`GET /api/v1/accounts/:id/statuses` (favourites_count, reblogs_count, replies_count,
quotes_count where the server has it, in_reply_to_id). Public reads; an owned account's token
is sent when there is one."""

from datetime import datetime

import httpx

from vigie_publisher.adapters.networks._http import HttpApi, Json
from vigie_publisher.adapters.stats._common import MAX_PAGES, count, created, plain_text
from vigie_publisher.domain.presence.stats import (
    RECENT_LIMIT,
    RECENT_WINDOW,
    AccountStats,
    PostStats,
    StatsNotRead,
    recent_posts,
)

PAGE = 40  # the API's maximum `limit` for statuses


class MastodonStats(HttpApi):
    def __init__(
        self, instance_url: str, token: str, *, deadline_s: float, http: httpx.AsyncClient
    ) -> None:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        super().__init__(instance_url, headers=headers, deadline_s=deadline_s, http=http)

    async def read(self, acct: str, now: datetime) -> AccountStats:
        account = await self.find("/api/v1/accounts/lookup", params={"acct": acct})
        if account is None or "id" not in account:
            raise StatsNotRead(f"no account {acct} on {self._base_url}")
        posts = await self._statuses(str(account["id"]), now)
        return AccountStats(
            followers=count(account.get("followers_count")),
            following=count(account.get("following_count")),
            posts=count(account.get("statuses_count")),
            recent=recent_posts(posts, now),
        )

    async def _statuses(self, account_id: str, now: datetime) -> list[PostStats]:
        found: list[PostStats] = []
        params = {"limit": str(PAGE), "exclude_reblogs": "true"}
        for _ in range(MAX_PAGES):
            response = await self.call(
                "GET", f"/api/v1/accounts/{account_id}/statuses", mutating=False, params=params
            )
            page = response.json()
            if not isinstance(page, list) or not page:
                break
            found.extend(_post(status) for status in page)
            if len(found) >= RECENT_LIMIT or found[-1].created_at < now - RECENT_WINDOW:
                break
            params = {**params, "max_id": str(page[-1]["id"])}
        return found


def _post(status: Json) -> PostStats:
    return PostStats(
        uri=str(status["id"]),
        url=str(status.get("url") or status.get("uri") or ""),
        created_at=created(status, "created_at"),
        likes=count(status.get("favourites_count")),
        reposts=count(status.get("reblogs_count")),
        replies=count(status.get("replies_count")),
        quotes=count(status.get("quotes_count")),
        reply_to=str(status.get("in_reply_to_id") or ""),
        text=plain_text(str(status.get("content") or "")),
    )
