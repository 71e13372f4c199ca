"""The networks' token endpoints as documented, played by doubles, against the refreshers:
X's OAuth 2.0 `refresh_token` grant (docs.x.com, "OAuth 2.0 Authorization Code Flow with PKCE":
refresh tokens rotate), LinkedIn's (learn.microsoft.com, "Refresh Tokens with OAuth 2.0": they
do not), Meta's long-lived token exchange (`fb_exchange_token`) and Threads' `th_refresh_token`.
"""

import base64
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from vigie_publisher.adapters.networks.facebook import GRAPH_VERSION
from vigie_publisher.adapters.token_refreshers import OAuthClient, refreshers
from vigie_publisher.domain.publishing import (
    AuthFailed,
    PermanentFailure,
    RateLimited,
    TransientFailure,
)

from .conftest import Network, graph_error

NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)
APP = OAuthClient("app-client", "app-secret")
STORED = {"access_token": "old", "refresh_token": "r1", "network_account_id": "urn:li:org:1"}


def oauth_refused(description: str) -> JSONResponse:
    return JSONResponse(
        {"error": "invalid_request", "error_description": description}, status_code=400
    )


class OAuthTokens:
    """An RFC 6749 token endpoint: `rotate` gives a new refresh token and retires the old one
    (X); otherwise the same one stays valid (LinkedIn)."""

    def __init__(self, network: Network, *, rotate: bool, secret_in: str, issue: str = "") -> None:
        self.network, self.rotate, self.secret_in = network, rotate, secret_in
        self.valid_refresh = "r1"
        self.calls = 0
        self.issue = issue  # the access token handed out (one the network double accepts)

    def route(self, path: str) -> Route:
        return Route(path, self.token, methods=["POST"])

    async def token(self, request: Request) -> Response:
        self.calls += 1
        if self.network.script:
            return self.network.script.pop(0)
        form = dict(await request.form())
        expect = self.network.expect
        expect(
            request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"),
            "token request not form-encoded",
        )
        expect(form.get("grant_type") == "refresh_token", "grant_type is not refresh_token")
        expect(form.get("client_id") == APP.client_id, "no client_id")
        if self.secret_in == "basic":
            basic = base64.b64encode(f"{APP.client_id}:{APP.client_secret}".encode()).decode()
            expect(request.headers.get("authorization") == f"Basic {basic}", "no Basic auth")
            expect("client_secret" not in form, "client_secret in the body and in Basic auth")
        else:
            expect(form.get("client_secret") == APP.client_secret, "no client_secret in body")
        if form.get("refresh_token") != self.valid_refresh:
            return oauth_refused("Value passed for the token was invalid.")
        if self.rotate:
            self.valid_refresh = f"r{self.calls + 1}"
        answer = {
            "token_type": "bearer",
            "expires_in": 7200,
            "access_token": self.issue or f"access-{self.calls}",
            "refresh_token": self.valid_refresh,
        }
        return JSONResponse(answer)


class MetaTokens:
    """`GET /{version}/oauth/access_token?grant_type=fb_exchange_token` and Threads'
    `GET /refresh_access_token?grant_type=th_refresh_token`."""

    def __init__(self, network: Network) -> None:
        self.network = network
        self.valid = "old"

    def routes(self) -> list[Route]:
        return [
            Route(f"/{GRAPH_VERSION}/oauth/access_token", self.exchange),
            Route("/refresh_access_token", self.threads),
        ]

    def _answer(self, token: str | None) -> Response:
        if self.network.script:
            return self.network.script.pop(0)
        if token != self.valid:
            message = "Error validating access token: Session has expired."
            return JSONResponse(graph_error(190, message, 463), status_code=400)
        return JSONResponse(
            {"access_token": "long-lived", "token_type": "bearer", "expires_in": 5_183_944}
        )

    async def exchange(self, request: Request) -> Response:
        params = request.query_params
        self.network.expect(params.get("grant_type") == "fb_exchange_token", "wrong grant_type")
        self.network.expect(params.get("client_id") == APP.client_id, "no client_id")
        self.network.expect(params.get("client_secret") == APP.client_secret, "no secret")
        return self._answer(params.get("fb_exchange_token"))

    async def threads(self, request: Request) -> Response:
        params = request.query_params
        self.network.expect(params.get("grant_type") == "th_refresh_token", "wrong grant_type")
        return self._answer(params.get("access_token"))


async def oauth_double(network: Network, path: str, **kw: object) -> tuple[OAuthTokens, str]:
    tokens = OAuthTokens(network, **kw)  # type: ignore[arg-type]
    return tokens, await network.serve([tokens.route(path)])


def clock() -> Callable[[], datetime]:
    return lambda: NOW


async def test_x_rotates_the_refresh_token_and_the_old_one_stops_working(network):
    _, url = await oauth_double(network, "/2/oauth2/token", rotate=True, secret_in="basic")
    refresh = refreshers(x=APP, api_urls={"x": url}, clock=clock())["x"]
    fresh, expiry = await refresh("x", STORED)
    renewed = {"access_token": "access-1", "refresh_token": "r2", "lifetime_s": 7200}
    assert fresh == {**STORED, **renewed}
    assert expiry == NOW + timedelta(hours=2)
    with pytest.raises(AuthFailed, match="invalid_request: Value passed for the token"):
        await refresh("x", STORED)


async def test_linkedin_sends_the_secret_in_the_body_and_keeps_its_refresh_token(network):
    _, url = await oauth_double(network, "/oauth/v2/accessToken", rotate=False, secret_in="body")
    refresh = refreshers(linkedin=APP, api_urls={"linkedin_oauth": url}, clock=clock())
    fresh, _ = await refresh["linkedin"]("linkedin", STORED)
    assert (fresh["access_token"], fresh["refresh_token"]) == ("access-1", "r1")
    assert fresh["network_account_id"] == "urn:li:org:1"  # what the adapter needs stays


async def test_an_account_without_a_refresh_token_must_be_reconnected(network):
    tokens, url = await oauth_double(network, "/2/oauth2/token", rotate=True, secret_in="basic")
    refresh = refreshers(x=APP, api_urls={"x": url}, clock=clock())["x"]
    with pytest.raises(PermanentFailure, match="no refresh token"):
        await refresh("x", {"access_token": "old"})
    assert tokens.calls == 0


async def test_a_busy_token_endpoint_is_not_a_refused_grant(network):
    _, url = await oauth_double(network, "/2/oauth2/token", rotate=True, secret_in="basic")
    refresh = refreshers(x=APP, api_urls={"x": url}, clock=clock())["x"]
    network.refuse_next(429, {"title": "Too Many Requests"}, {"retry-after": "60"})
    with pytest.raises(RateLimited):
        await refresh("x", STORED)
    network.refuse_next(503, {"title": "Service Unavailable"})
    with pytest.raises(TransientFailure):
        await refresh("x", STORED)


@pytest.mark.parametrize("name", ["facebook", "instagram"])
async def test_meta_exchanges_the_token_for_a_long_lived_one(network, name):
    meta = MetaTokens(network)
    url = await network.serve(meta.routes())
    refresh = refreshers(meta=APP, api_urls={name: url}, clock=clock())[name]
    fresh, expiry = await refresh(name, STORED)
    assert fresh["access_token"] == "long-lived"
    assert expiry == NOW + timedelta(seconds=5_183_944)


async def test_threads_refreshes_its_long_lived_token_without_app_credentials(network):
    meta = MetaTokens(network)
    url = await network.serve(meta.routes())
    refresh = refreshers(api_urls={"threads": url}, clock=clock())
    assert set(refresh) == {"threads"}
    fresh, _ = await refresh["threads"]("threads", STORED)
    assert fresh["access_token"] == "long-lived"


async def test_an_expired_meta_token_cannot_be_exchanged(network):
    meta = MetaTokens(network)
    url = await network.serve(meta.routes())
    meta.valid = "another"
    refresh = refreshers(meta=APP, api_urls={"facebook": url}, clock=clock())["facebook"]
    with pytest.raises(AuthFailed, match="Session has expired"):
        await refresh("facebook", STORED)
