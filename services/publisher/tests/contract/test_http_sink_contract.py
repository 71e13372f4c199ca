"""The local HTTP sink's contract (see `http_sink.py`), played by a double that counts what it
receives, against `HttpSinkAdapter`; and the transport failures every adapter shares."""

import itertools
import socket
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from vigie_publisher.adapters.networks.http_sink import HttpSinkAdapter
from vigie_publisher.domain.publishing import (
    AuthFailed,
    OutcomeUnknown,
    PermanentFailure,
    RateLimited,
    TransientFailure,
)
from vigie_runtime.free_ports import free_port

from .conftest import DEADLINE_S, Network, publication

TOKEN = "sink-token"
NOW = datetime(2026, 3, 29, 9, 30, tzinfo=UTC)


class Sink:
    def __init__(self, network: Network) -> None:
        self.network = network
        self.by_key: dict[str, dict[str, object]] = {}
        self.calls = 0
        self.ids = (f"sink-{n}" for n in itertools.count(1))
        self.base_url = ""

    def routes(self) -> list[Route]:
        return [
            Route("/publish", self.publish, methods=["POST"]),
            Route("/publish/{key}", self.read, methods=["GET"]),
        ]

    async def publish(self, request: Request) -> Response:
        self.calls += 1
        if request.headers.get("authorization") != f"Bearer {TOKEN}":
            return JSONResponse({"error": "unknown token"}, status_code=401)
        key = request.headers.get("idempotency-key", "")
        self.network.expect(key, "POST without Idempotency-Key")
        body = await request.json()
        self.network.expect(body.get("parts") and body.get("publication_id"), f"bad body {body}")

        def apply() -> Response:
            if key not in self.by_key:
                post_id = next(self.ids)
                part_ids = [f"{post_id}.{i}" for i in range(len(body["parts"]))]
                self.by_key[key] = {
                    "id": post_id,
                    "url": f"http://sink/{post_id}",
                    "part_ids": part_ids,
                }
            return JSONResponse(self.by_key[key], status_code=201)

        return await self.network.create(apply)

    async def read(self, request: Request) -> Response:
        found = self.by_key.get(request.path_params["key"])
        return (
            JSONResponse(found)
            if found
            else JSONResponse({"error": "no such post"}, status_code=404)
        )


@pytest.fixture
async def sink(network: Network) -> Sink:
    double = Sink(network)
    double.base_url = await network.serve(double.routes())
    return double


def adapter(base_url: str, token: str = TOKEN) -> HttpSinkAdapter:
    return HttpSinkAdapter(
        f"{base_url}/publish", access_token=token, deadline_s=DEADLINE_S, clock=lambda: NOW
    )


async def test_a_retried_publication_is_one_post_on_the_sink(sink, network):
    async with adapter(sink.base_url) as client:
        first = await client.publish(publication("one", "two"))
        again = await client.publish(publication("one", "two"))
    assert again == first and first.part_ids == ("sink-1.0", "sink-1.1")
    assert len(sink.by_key) == 1 and sink.calls == 2
    assert network.problems == []


async def test_an_answer_lost_past_the_deadline_is_unknown_and_lookup_finds_the_post(sink, network):
    network.hold_create()
    async with adapter(sink.base_url) as client:
        with pytest.raises(OutcomeUnknown):
            await client.publish(publication("lost"))
        found = await client.lookup(publication("lost"))
        assert found is not None and found.external_id == "sink-1"
        assert await client.lookup(publication("never", key="other")) is None


@pytest.mark.parametrize(
    ("status", "headers", "error"),
    [
        (429, {"Retry-After": "120"}, RateLimited),
        (401, {}, AuthFailed),
        (422, {}, PermanentFailure),
        (503, {}, TransientFailure),
        # A gateway that gave up waiting: the sink may have published.
        (504, {}, OutcomeUnknown),
    ],
)
async def test_refusals_map_to_the_contract_with_the_sinks_words(
    sink, network, status, headers, error
):
    network.refuse_next(status, {"error": "the sink's own words"}, headers)
    async with adapter(sink.base_url) as client:
        with pytest.raises(error, match="the sink's own words") as refused:
            await client.publish(publication("hello"))
    if status == 429:
        assert refused.value.retry_after == NOW + timedelta(seconds=120)


async def test_an_http_date_in_retry_after_is_read_as_a_time(sink, network):
    network.refuse_next(429, {"error": "later"}, {"Retry-After": "Sun, 29 Mar 2026 10:00:00 GMT"})
    async with adapter(sink.base_url) as client:
        with pytest.raises(RateLimited) as refused:
            await client.publish(publication("hello"))
    assert refused.value.retry_after == datetime(2026, 3, 29, 10, tzinfo=UTC)


async def test_a_refused_connection_is_transient_because_nothing_was_sent():
    closed_port = free_port()
    async with adapter(f"http://127.0.0.1:{closed_port}") as client:
        with pytest.raises(TransientFailure):
            await client.publish(publication("hello"))


async def test_a_read_past_the_deadline_is_transient_since_reads_publish_nothing(sink, network):
    # A server that accepts the connection and never answers.
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        async with adapter(f"http://127.0.0.1:{silent.getsockname()[1]}") as client:
            with pytest.raises(TransientFailure):
                await client.lookup(publication("hello"))
            with pytest.raises(OutcomeUnknown):
                await client.publish(publication("hello"))


async def test_a_shared_client_stays_open_for_the_other_accounts(sink, network):
    async with httpx.AsyncClient() as shared:
        for key in ("a", "b"):
            sink_adapter = HttpSinkAdapter(
                f"{sink.base_url}/publish", access_token=TOKEN, http=shared
            )
            async with sink_adapter as client:
                await client.publish(publication("hello", key=key))
        assert not shared.is_closed
    assert len(sink.by_key) == 2
