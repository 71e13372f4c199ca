"""What the gateway's HTTP side refuses or allows, over real HTTP in front of a real directory:
persisted queries and the allow-list, the cost limit, rate limits, CORS, cross-site requests, and
what production hides."""

import json
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack
from pathlib import Path
from typing import Any

import pytest
from vigie_directory.bootstrap import build
from vigie_directory.testing import ADMIN_PASSWORD, bootstrap_tenant, directory_settings
from vigie_gateway.app import create_app
from vigie_gateway.config import Settings
from vigie_gateway.http.persisted_queries import PersistedQueries, sha256_of
from vigie_gateway.http.protocol import GraphQLParams, ProtocolError
from vigie_gateway.testing import LOGIN, Front, graphql_front
from vigie_runtime.testing.services import serving

TYPENAME = "{ __typename }"
GRAPHQL_RESPONSE = "application/graphql-response+json"

Serve = Callable[..., Awaitable[Front]]


@pytest.fixture
async def serve(tmp_path: Path, database_url: str) -> AsyncIterator[Serve]:
    """`await serve(max_cost=50, ...)`: a directory with one group, and a gateway in front of it
    with those settings, served by uvicorn until the test ends."""
    async with AsyncExitStack() as stack:
        settings = directory_settings(tmp_path, database_url)
        directory = await stack.enter_async_context(serving(build(settings)))
        await bootstrap_tenant(settings, "Acme Group", "admin@acme.test")

        async def start(**overrides: Any) -> Front:
            gateway = Settings(
                directory_target=f"127.0.0.1:{directory.grpc_port}",
                platform=settings.platform.model_copy(update=overrides.pop("platform", {})),
                **overrides,
            )
            return await stack.enter_async_context(graphql_front(create_app(gateway)))

        yield start


async def post(front: Front, body: dict[str, Any], **headers: str) -> tuple[int, dict[str, Any]]:
    response = await front.http.post(front.url, json=body, headers=headers)
    return response.status_code, response.json()


def code(answer: dict[str, Any]) -> str:
    return str(answer["errors"][0]["extensions"]["code"])


def persisted(digest: str) -> dict[str, Any]:
    return {"persistedQuery": {"version": 1, "sha256Hash": digest}}


async def test_an_automatic_persisted_query_is_asked_by_hash_then_registered(serve: Serve) -> None:
    front = await serve()
    digest = sha256_of(TYPENAME)
    status, unknown = await post(front, {"extensions": persisted(digest)})
    assert (status, code(unknown)) == (200, "PERSISTED_QUERY_NOT_FOUND")
    assert unknown["errors"][0]["message"] == "PersistedQueryNotFound"
    _, registered = await post(front, {"query": TYPENAME, "extensions": persisted(digest)})
    assert registered == {"data": {"__typename": "Query"}}
    _, by_hash = await post(front, {"extensions": persisted(digest)})
    assert by_hash == {"data": {"__typename": "Query"}}
    by_get = await front.http.get(front.url, params={"extensions": json.dumps(persisted(digest))})
    assert by_get.json() == {"data": {"__typename": "Query"}}


async def test_a_query_that_does_not_match_its_hash_is_refused(serve: Serve) -> None:
    front = await serve()
    status, answer = await post(front, {"query": TYPENAME, "extensions": persisted("ab" * 32)})
    assert (status, code(answer)) == (400, "PERSISTED_QUERY_HASH_MISMATCH")


async def test_persisted_queries_switched_off_say_so(serve: Serve) -> None:
    front = await serve(persisted_queries_enabled=False)
    _, answer = await post(front, {"extensions": persisted(sha256_of(TYPENAME))})
    assert code(answer) == "PERSISTED_QUERY_NOT_SUPPORTED"
    assert answer["errors"][0]["message"] == "PersistedQueryNotSupported"


async def test_in_allow_list_mode_only_the_listed_queries_run(serve: Serve, tmp_path: Path) -> None:
    allow_list = tmp_path / "allowed.json"
    allow_list.write_text(json.dumps({sha256_of(TYPENAME): TYPENAME, sha256_of(LOGIN): LOGIN}))
    front = await serve(persisted_queries_allow_list=allow_list)
    _, by_hash = await post(front, {"extensions": persisted(sha256_of(TYPENAME))})
    assert by_hash == {"data": {"__typename": "Query"}}
    await front.log_in("admin@acme.test", ADMIN_PASSWORD)  # the listed login, sent in full
    status, other = await post(front, {"query": "{ __typename me: __typename }"})
    assert (status, code(other)) == (200, "PERSISTED_QUERY_NOT_ALLOWED")
    refused = await front.http.post(
        front.url, json={"query": "{ x: __typename }"}, headers={"accept": GRAPHQL_RESPONSE}
    )
    assert refused.status_code == 400 and code(refused.json()) == "PERSISTED_QUERY_NOT_ALLOWED"


def test_an_allow_list_whose_hash_lies_stops_the_start(tmp_path: Path) -> None:
    allow_list = tmp_path / "allowed.json"
    allow_list.write_text(json.dumps({"00" * 32: TYPENAME}))
    with pytest.raises(ValueError, match="does not hash to it"):
        create_app(Settings(persisted_queries_allow_list=allow_list))


async def test_a_query_over_the_cost_limit_is_refused_before_it_runs(serve: Serve) -> None:
    front = await serve(max_cost=50)
    await front.log_in("admin@acme.test", ADMIN_PASSWORD)
    costly = await front.ask("{ brands(first: 100) { nodes { id displayName } } }")
    assert code(costly) == "QUERY_TOO_COSTLY"
    assert costly["errors"][0]["extensions"]["cost"] == "301"
    cheap = await front.ask("query($n: Int) { brands(first: $n) { nodes { id } } }", n=10)
    assert "errors" not in cheap, cheap


async def test_a_caller_over_its_rate_is_told_when_to_come_back(serve: Serve) -> None:
    front = await serve(rate_limit_burst=3, rate_limit_per_second=0.01)
    await front.log_in("admin@acme.test", ADMIN_PASSWORD)  # the anonymous caller's first call
    token = front.token
    front.token = ""
    assert "errors" not in await front.ask(TYPENAME)
    assert "errors" not in await front.ask(TYPENAME)
    refused = await front.http.post(front.url, json={"query": TYPENAME})
    assert refused.status_code == 429
    assert int(refused.headers["retry-after"]) >= 1
    assert code(refused.json()) == "RATE_LIMITED"
    front.token = token  # a logged-in user has a bucket of its own
    assert "errors" not in await front.ask(TYPENAME)


async def test_only_allowed_origins_pass_the_preflight_and_others_are_refused(
    serve: Serve,
) -> None:
    front = await serve(allowed_origins=["https://app.vigie.test"])
    preflight = {"access-control-request-method": "POST", "access-control-request-headers": "content-type,authorization"}  # fmt: skip
    allowed = await front.http.options(
        front.url, headers={"origin": "https://app.vigie.test", **preflight}
    )
    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == "https://app.vigie.test"
    other = await front.http.options(
        front.url, headers={"origin": "https://evil.test", **preflight}
    )
    assert "access-control-allow-origin" not in other.headers
    status, answer = await post(front, {"query": TYPENAME}, origin="https://evil.test")
    assert (status, code(answer)) == (403, "CSRF_ORIGIN_REFUSED")
    status, _ = await post(front, {"query": TYPENAME}, origin="https://app.vigie.test")
    assert status == 200


async def test_requests_a_cross_site_form_could_send_are_refused(serve: Serve) -> None:
    front = await serve()
    for content_type in ("text/plain", "application/x-www-form-urlencoded", "multipart/form-data"):
        form = await front.http.post(
            front.url, content=json.dumps({"query": TYPENAME}), headers={"content-type": content_type}
        )  # fmt: skip
        assert form.status_code == 415 and code(form.json()) == "UNSUPPORTED_MEDIA_TYPE"
    mutation = await front.http.get(front.url, params={"query": "mutation { __typename }"})
    assert mutation.status_code == 405 and mutation.headers["allow"] == "POST"
    batch = await front.http.post(front.url, json=[{"query": TYPENAME}])
    assert batch.status_code == 400
    status, answer = await post(front, {"query": "subscription { crisisChanged { __typename } }"})
    assert (status, code(answer)) == (400, "SUBSCRIPTION_OVER_HTTP")


async def test_a_request_error_is_a_400_for_graphql_response_clients_and_200_for_json(
    serve: Serve,
) -> None:
    front = await serve()
    broken = {"query": "{ __typename"}
    modern = await front.http.post(front.url, json=broken, headers={"accept": GRAPHQL_RESPONSE})
    assert modern.status_code == 400
    assert modern.headers["content-type"].startswith(GRAPHQL_RESPONSE)
    assert "data" not in modern.json() and modern.json()["errors"]
    legacy = await front.http.post(front.url, json=broken, headers={"accept": "application/json"})
    assert legacy.status_code == 200 and legacy.json()["errors"]


async def test_production_hides_introspection_and_graphiql(serve: Serve) -> None:
    development = await serve()
    page = await development.http.get(development.url, headers={"accept": "text/html"})
    assert page.status_code == 200 and "graphiql" in page.text.lower()
    production = await serve(platform={"environment": "production"})
    no_page = await production.http.get(production.url, headers={"accept": "text/html"})
    assert no_page.status_code == 404
    introspection = await production.ask("{ __schema { queryType { name } } }")
    assert "introspection" in introspection["errors"][0]["message"].lower()


def test_the_apq_store_forgets_the_least_recently_used_query_first() -> None:
    store = PersistedQueries(capacity=2)
    for query in ("{ a }", "{ b }"):
        store.resolve(GraphQLParams(query, extensions=persisted(sha256_of(query))))
    store.resolve(GraphQLParams(None, extensions=persisted(sha256_of("{ a }"))))  # used again
    store.resolve(GraphQLParams("{ c }", extensions=persisted(sha256_of("{ c }"))))
    assert len(store) == 2
    assert store.resolve(GraphQLParams(None, extensions=persisted(sha256_of("{ a }")))) == "{ a }"
    with pytest.raises(ProtocolError, match="PersistedQueryNotFound"):
        store.resolve(GraphQLParams(None, extensions=persisted(sha256_of("{ b }"))))


async def test_deep_wide_aliased_and_batched_queries_are_refused_with_their_code(
    serve: Serve,
) -> None:
    """Abuse is refused before execution, each with a code a client can act on (the figures of
    what a refusal costs are in bench/bench_abuse.py)."""
    front = await serve(max_depth=4, max_aliases=3, max_tokens=200)
    await front.log_in("admin@acme.test", ADMIN_PASSWORD)
    deep = "{ me { organization { subsidiaries { nodes { brands { nodes { id } } } } } } }"
    status, answer = await post(front, {"query": deep})
    assert status == 200 and answer["data"] is None
    assert "exceeds maximum operation depth" in answer["errors"][0]["message"]
    assert code(answer) == "QUERY_TOO_DEEP"
    aliased = "{ " + " ".join(f"a{i}: __typename" for i in range(4)) + " }"
    status, answer = await post(front, {"query": aliased})
    assert (status, code(answer)) == (200, "TOO_MANY_ALIASES")
    wide = "{ " + " ".join("__typename" for _ in range(300)) + " }"
    status, answer = await post(front, {"query": wide})
    assert (status, code(answer)) == (200, "QUERY_TOO_LONG")
    batch = await front.http.post(front.url, json=[{"query": TYPENAME}] * 100)
    assert batch.status_code == 400 and code(batch.json()) == "BAD_REQUEST"
    assert "errors" not in await front.ask(TYPENAME)  # the caller is still served


async def test_a_body_over_the_size_limit_is_refused_before_it_is_parsed(serve: Serve) -> None:
    front = await serve()
    huge = json.dumps({"query": TYPENAME, "variables": {"x": "y" * 300_000}})
    refused = await front.http.post(
        front.url, content=huge, headers={"content-type": "application/json"}
    )
    assert refused.status_code == 413 and code(refused.json()) == "REQUEST_TOO_LARGE"

    async def chunks() -> AsyncIterator[bytes]:  # no content-length: read until the cap
        for start in range(0, len(huge), 65_536):
            yield huge[start : start + 65_536].encode()

    chunked = await front.http.post(
        front.url, content=chunks(), headers={"content-type": "application/json"}
    )
    assert chunked.status_code == 413 and code(chunked.json()) == "REQUEST_TOO_LARGE"
    assert "errors" not in await front.ask(TYPENAME)
