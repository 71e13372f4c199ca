"""New credentials for an account before (or when) its token expires, per network's documented
token endpoint. Each returns the stored credentials with the new token(s) and the new expiry,
or raises the contract's errors: `AuthFailed` when the network refuses the grant (the account
must be reconnected), `RateLimited` / `TransientFailure` when it may work later.

- X: OAuth 2.0 `refresh_token` grant, `POST /2/oauth2/token` (a confidential client
  authenticates with HTTP Basic, a public one sends `client_id`); refresh tokens rotate.
- LinkedIn: `refresh_token` grant, `POST https://www.linkedin.com/oauth/v2/accessToken` with
  `client_id` and `client_secret`.
- Facebook Pages and Instagram (through Facebook Login): the long-lived token exchange,
  `GET /{version}/oauth/access_token?grant_type=fb_exchange_token`.
- Threads: `GET /refresh_access_token?grant_type=th_refresh_token` on graph.threads.net.
Bluesky needs none here: its session refreshes itself (`com.atproto.server.refreshSession`).
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import httpx

from vigie_publisher.adapters.networks._http import Clock, HttpApi, Json, Refusal, utc_now
from vigie_publisher.adapters.networks.facebook import FACEBOOK_API, GRAPH_VERSION, GraphApi
from vigie_publisher.adapters.networks.threads import THREADS_API
from vigie_publisher.adapters.networks.x import API as X_API
from vigie_publisher.app.token_health import Refresher
from vigie_publisher.domain.publishing import AccountCredentials, AuthFailed, PermanentFailure

LINKEDIN_OAUTH = "https://www.linkedin.com"
# RFC 6749 §5.2: the grant or the client is refused, so only a new consent helps.
_REFUSED_GRANTS = {"invalid_grant", "invalid_client", "unauthorized_client", "invalid_request"}
Stored = dict[str, Any]


@dataclass(frozen=True)
class OAuthClient:
    client_id: str
    client_secret: str = ""


class OAuthTokenEndpoint(HttpApi):
    """An RFC 6749 token endpoint: errors are `{"error", "error_description"}`."""

    def refusal(self, response: httpx.Response) -> Refusal:
        refused = super().refusal(response)
        try:
            body = response.json()
        except ValueError:
            body = {}
        code = str(body.get("error", "")) if isinstance(body, dict) else ""
        words = str(body.get("error_description", "")) if isinstance(body, dict) else ""
        message = f"{code}: {words}" if code else refused.message
        auth = response.status_code in (400, 401) and (code in _REFUSED_GRANTS or not code)
        return Refusal(response.status_code, message, auth=auth, reset_at=refused.reset_at)


def _renewed(stored: Stored, answer: Json, now: datetime) -> tuple[Stored, datetime | None]:
    token = answer.get("access_token")
    if not token:
        raise AuthFailed("the token endpoint answered without an access_token")
    renewed = {**stored, "access_token": str(token)}
    if answer.get("refresh_token"):  # rotated: the old one no longer works
        renewed["refresh_token"] = str(answer["refresh_token"])
    expires_in = answer.get("expires_in")
    expiry = now + timedelta(seconds=int(expires_in)) if expires_in else None
    if expires_in:  # paces the next refresh of a short-lived token
        renewed["lifetime_s"] = int(expires_in)
    return renewed, expiry


def _refresh_token(stored: Stored) -> str:
    token = str(stored.get("refresh_token", ""))
    if not token:
        # Not a refusal by the network: the token works until it expires (and is warned of).
        raise PermanentFailure("no refresh token is stored: reconnect the account")
    return token


def oauth2_refresher(
    base_url: str, path: str, client: OAuthClient, *, secret_in_body: bool, clock: Clock
) -> Refresher:
    """The `refresh_token` grant (RFC 6749 §6) against one token endpoint."""

    async def refresh(_network: str, stored: Stored) -> tuple[Stored, datetime | None]:
        form = {"grant_type": "refresh_token", "refresh_token": _refresh_token(stored)}
        form["client_id"] = client.client_id
        auth: httpx.BasicAuth | None = None
        if client.client_secret and secret_in_body:
            form["client_secret"] = client.client_secret
        elif client.client_secret:
            auth = httpx.BasicAuth(client.client_id, client.client_secret)
        async with OAuthTokenEndpoint(base_url, clock=clock) as endpoint:
            kw: dict[str, Any] = {"data": form} | ({"auth": auth} if auth else {})
            answer = await endpoint.json("POST", path, mutating=False, **kw)
        return _renewed(stored, answer, clock())

    return refresh


def meta_refresher(
    base_url: str, path: str, params: Mapping[str, str], token_param: str, *, clock: Clock
) -> Refresher:
    """Meta's token GETs: the current token traded for a new long-lived one. Errors are the
    Graph API's own (`code` 190: the token is no longer valid)."""

    async def refresh(_network: str, stored: Stored) -> tuple[Stored, datetime | None]:
        query = {**params, token_param: str(stored.get("access_token", ""))}
        graph_base = AccountCredentials(handle="", access_token="", instance_url=base_url)
        async with GraphApi(graph_base, account_id="", clock=clock) as graph:
            answer = await graph.json("GET", base_url + path, mutating=False, params=query)
        return _renewed(stored, answer, clock())

    return refresh


def refreshers(
    *,
    x: OAuthClient | None = None,
    linkedin: OAuthClient | None = None,
    meta: OAuthClient | None = None,
    api_urls: Mapping[str, str] | None = None,
    clock: Clock = utc_now,
) -> dict[str, Refresher]:
    """The refreshers of the networks whose app credentials are configured (Threads needs none)."""
    urls = api_urls or {}
    found: dict[str, Refresher] = {
        "threads": meta_refresher(
            urls.get("threads", THREADS_API),
            "/refresh_access_token",
            {"grant_type": "th_refresh_token"},
            "access_token",
            clock=clock,
        )
    }
    if x:
        found["x"] = oauth2_refresher(
            urls.get("x", X_API), "/2/oauth2/token", x, secret_in_body=False, clock=clock
        )
    if linkedin:
        found["linkedin"] = oauth2_refresher(
            urls.get("linkedin_oauth", LINKEDIN_OAUTH),
            "/oauth/v2/accessToken",
            linkedin,
            secret_in_body=True,
            clock=clock,
        )
    if meta:
        exchange = {
            "grant_type": "fb_exchange_token",
            "client_id": meta.client_id,
            "client_secret": meta.client_secret,
        }
        for network in ("facebook", "instagram"):
            found[network] = meta_refresher(
                urls.get(network, FACEBOOK_API),
                f"/{GRAPH_VERSION}/oauth/access_token",
                exchange,
                "fb_exchange_token",
                clock=clock,
            )
    return found
