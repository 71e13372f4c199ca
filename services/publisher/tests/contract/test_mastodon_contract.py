"""Mastodon's REST API as documented (docs.joinmastodon.org/methods/statuses, /methods/media,
/methods/instance, /api/rate-limits), played by a double, against `MastodonAdapter`."""

import itertools
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from vigie_publisher.adapters.networks._http import HttpApi
from vigie_publisher.adapters.networks.mastodon import MastodonAdapter, status_length
from vigie_publisher.domain.publishing import (
    AuthFailed,
    MediaItem,
    OutcomeUnknown,
    PermanentFailure,
    RateLimited,
    TransientFailure,
)
from vigie_runtime.outbound import outbound_transport

from .conftest import DEADLINE_S, Network, credentials, now_iso, publication

TOKEN = "good-token"


class Mastodon:
    """One instance with one account; statuses newest first, as the API lists them."""

    def __init__(self, network: Network, max_characters: int = 500) -> None:
        self.network, self.max_characters = network, max_characters
        self.statuses: list[dict[str, object]] = []
        self.by_key: dict[str, dict[str, object]] = {}
        self.media: dict[str, dict[str, object]] = {}
        self.ids = (str(n) for n in itertools.count(110_000_000_000_000_001))
        self.base_url = ""
        self.has_v2_instance = True  # Mastodon 4.0 and later

    def routes(self) -> list[Route]:
        return [
            Route("/api/v2/instance", self.instance),
            Route("/api/v1/instance", self.instance_v1),
            Route("/api/v1/statuses", self.post_status, methods=["POST"]),
            Route("/api/v2/media", self.upload, methods=["POST"]),
            Route("/api/v1/media/{id}", self.get_media),
            Route("/api/v1/accounts/verify_credentials", self.me),
            Route("/api/v1/accounts/{id}/statuses", self.account_statuses),
            Route("/api/v2/search", self.search),
        ]

    def unauthorized(self, request: Request) -> Response | None:
        if request.headers.get("authorization") != f"Bearer {TOKEN}":
            return JSONResponse({"error": "The access token is invalid"}, status_code=401)
        return None

    async def instance(self, request: Request) -> Response:
        if not self.has_v2_instance:
            return JSONResponse({"error": "Record not found"}, status_code=404)
        statuses = {"max_characters": self.max_characters, "max_media_attachments": 4}
        media = {"image_size_limit": 16_777_216, "video_size_limit": 103_809_024}
        config = {"statuses": statuses, "media_attachments": media}
        return JSONResponse({"domain": "mastodon.test", "configuration": config})

    async def instance_v1(self, request: Request) -> Response:
        statuses = {"max_characters": self.max_characters, "max_media_attachments": 4}
        return JSONResponse({"uri": "mastodon.test", "configuration": {"statuses": statuses}})

    async def post_status(self, request: Request) -> Response:
        if refused := self.unauthorized(request):
            return refused
        body = await request.json()
        key = request.headers.get("idempotency-key", "")
        self.network.expect(key, "POST /api/v1/statuses without Idempotency-Key")
        self.network.expect(
            set(body) <= {"status", "visibility", "in_reply_to_id", "media_ids", "language"},
            f"unknown status parameters: {sorted(body)}",
        )

        def apply() -> Response:
            if key in self.by_key:  # the documented idempotency: the same status again
                return JSONResponse(self.by_key[key])
            if len(body.get("status", "")) > self.max_characters:
                error = f"Validation failed: Text character limit of {self.max_characters} exceeded"
                return JSONResponse({"error": error}, status_code=422)
            reply_to = body.get("in_reply_to_id")
            if reply_to and not any(s["id"] == reply_to for s in self.statuses):
                return JSONResponse({"error": "Record not found"}, status_code=404)
            status_id = next(self.ids)
            status = {
                "id": status_id,
                "created_at": now_iso(),
                "in_reply_to_id": reply_to,
                "content": f"<p>{body['status']}</p>",
                "url": f"https://mastodon.test/@vigie/{status_id}",
                "media_attachments": [self.media[m] for m in body.get("media_ids", [])],
            }
            self.statuses.insert(0, status)
            self.by_key[key] = status
            return JSONResponse(status)

        return await self.network.create(apply)

    async def upload(self, request: Request) -> Response:
        form = await request.form()
        upload = form.get("file")
        self.network.expect(
            upload is not None and not isinstance(upload, str), "media without file"
        )
        media_id = next(self.ids)
        # Large media are processed asynchronously: 202 with a null URL first.
        self.media[media_id] = {
            "id": media_id,
            "type": "image",
            "url": None,
            "description": form.get("description"),
        }
        return JSONResponse(self.media[media_id], status_code=202)

    async def get_media(self, request: Request) -> Response:
        media = self.media[request.path_params["id"]]
        media["url"] = f"https://files.mastodon.test/{media['id']}.png"
        return JSONResponse(media)

    async def me(self, request: Request) -> Response:
        return self.unauthorized(request) or JSONResponse({"id": "1", "username": "vigie"})

    async def search(self, request: Request) -> Response:
        """`GET /api/v2/search`: with `resolve=true` (authenticated), a status URL gives that
        status, known or fetched from its own instance; `type=statuses` leaves the rest empty."""
        if refused := self.unauthorized(request):
            return refused
        query = request.query_params
        self.network.expect(query.get("type") == "statuses", "search without type=statuses")
        self.network.expect(query.get("resolve") == "true", "a remote URL needs resolve=true")
        found = [s for s in self.statuses if query.get("q") in (s.get("url"), s.get("uri"))]
        return JSONResponse({"accounts": [], "statuses": found[:1], "hashtags": []})

    async def account_statuses(self, request: Request) -> Response:
        self.network.expect(request.path_params["id"] == "1", "statuses of another account")
        return JSONResponse(self.statuses[: int(request.query_params.get("limit", "20"))])


@pytest.fixture
async def mastodon(network: Network) -> Mastodon:
    double = Mastodon(network)
    double.base_url = await network.serve(double.routes())
    return double


def adapter(double: Mastodon, token: str = TOKEN) -> MastodonAdapter:
    made = MastodonAdapter(credentials(double.base_url, token), deadline_s=DEADLINE_S)
    made.allow_local_media = True  # the image tests give local files
    return made


async def test_a_thread_is_published_as_a_chain_of_replies_with_its_first_comment(
    mastodon, network
):
    async with adapter(mastodon) as client:
        post = await client.publish(publication("one", "two", "three", first_comment="comment"))
    by_id = {s["id"]: s for s in mastodon.statuses}
    assert [by_id[i]["content"] for i in post.part_ids] == [
        "<p>one</p>",
        "<p>two</p>",
        "<p>three</p>",
    ]
    assert [by_id[i]["in_reply_to_id"] for i in post.part_ids] == [None, *post.part_ids[:2]]
    comment = mastodon.statuses[0]
    assert (comment["content"], comment["in_reply_to_id"]) == ("<p>comment</p>", post.external_id)
    assert post.url == f"https://mastodon.test/@vigie/{post.external_id}"
    assert network.problems == []


async def test_a_retried_publish_with_the_same_idempotency_key_creates_one_status(
    mastodon, network
):
    async with adapter(mastodon) as client:
        first = await client.publish(publication("once"))
        again = await client.publish(publication("once"))
    assert again.external_id == first.external_id
    assert len(mastodon.statuses) == 1
    assert network.problems == []


async def test_an_answer_lost_past_the_deadline_is_unknown_and_lookup_finds_the_status(
    mastodon, network
):
    network.hold_create()
    async with adapter(mastodon) as client:
        with pytest.raises(OutcomeUnknown):
            await client.publish(publication("did it go out?"))
        found = await client.lookup(publication("did it go out?"))
        assert found is not None and found.external_id == mastodon.statuses[0]["id"]
        assert await client.lookup(publication("never sent", key="other")) is None
        retried = await client.publish(publication("did it go out?"))
    assert retried.external_id == found.external_id and len(mastodon.statuses) == 1


async def test_a_rate_limited_create_says_when_to_retry_from_x_ratelimit_reset(mastodon, network):
    reset = "2026-03-29T09:35:00.000Z"
    headers = {"X-RateLimit-Limit": "300", "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": reset}
    network.refuse_next(429, {"error": "Too many requests"}, headers)
    async with adapter(mastodon) as client:
        with pytest.raises(RateLimited) as refused:
            await client.publish(publication("hello"))
    assert refused.value.retry_after == datetime(2026, 3, 29, 9, 35, tzinfo=UTC)


async def test_an_invalid_token_is_an_auth_failure(mastodon):
    async with adapter(mastodon, token="revoked") as client:
        with pytest.raises(AuthFailed, match="The access token is invalid"):
            await client.publish(publication("hello"))


async def test_a_validation_error_is_permanent_with_mastodons_message(mastodon, network):
    network.refuse_next(422, {"error": "Validation failed: Text can't be blank"})
    async with adapter(mastodon) as client:
        with pytest.raises(PermanentFailure, match="Text can't be blank"):
            await client.publish(publication("hello"))


async def test_a_server_error_before_acceptance_is_transient(mastodon, network):
    network.refuse_next(503, {"error": "Service Unavailable"})
    async with adapter(mastodon) as client:
        with pytest.raises(TransientFailure):
            await client.publish(publication("hello"))
    assert mastodon.statuses == []


async def test_a_text_over_the_instances_own_limit_is_refused_before_sending(mastodon, network):
    mastodon.max_characters = 20
    async with adapter(mastodon) as client:
        with pytest.raises(
            PermanentFailure, match="part 2: 27 characters, this instance allows 20"
        ):
            await client.publish(publication("short", "a" * 27))
    assert mastodon.statuses == []


async def test_an_instance_without_v2_gives_its_limits_through_v1(mastodon, network):
    mastodon.has_v2_instance, mastodon.max_characters = False, 10
    async with adapter(mastodon) as client:
        with pytest.raises(PermanentFailure, match="this instance allows 10"):
            await client.publish(publication("eleven char"))


async def test_an_image_is_uploaded_and_attached_once_processed(mastodon, network, tmp_path: Path):
    image = tmp_path / "photo.png"
    image.write_bytes(b"\x89PNG fake")
    item = MediaItem(str(image), "image/png", image.stat().st_size, alt_text="a photo")
    async with adapter(mastodon) as client:
        await client.publish(publication("with a photo", media=[item]))
    attached = mastodon.statuses[0]["media_attachments"]
    assert [(m["description"], m["url"] is not None) for m in attached] == [("a photo", True)]
    assert network.problems == []


async def test_a_local_file_is_never_read_unless_the_adapter_is_told_it_may(
    mastodon, tmp_path: Path
):
    secret = tmp_path / "secret.png"
    secret.write_bytes(b"\x89PNG not for the network")
    item = MediaItem(f"file://{secret}", "image/png", 10)
    tenant_facing = MastodonAdapter(credentials(mastodon.base_url, TOKEN), deadline_s=DEADLINE_S)
    async with tenant_facing as client:
        with pytest.raises(PermanentFailure, match="only http"):
            await client.publish(publication("exfiltrate", media=[item]))
    assert mastodon.statuses == []


async def test_a_private_instance_is_refused_for_good_and_receives_nothing(mastodon):
    guarded = httpx.AsyncClient(transport=outbound_transport(allow_private=False))
    async with (
        guarded,
        MastodonAdapter(
            credentials(mastodon.base_url, TOKEN), deadline_s=DEADLINE_S, http=guarded
        ) as client,
    ):
        with pytest.raises(PermanentFailure, match="address refused"):
            await client.publish(publication("to a loopback instance"))
    assert mastodon.statuses == []


async def test_a_medium_on_a_private_address_is_refused_for_good(network):
    fetched: list[str] = []

    async def image(request: Request) -> Response:
        fetched.append(request.url.path)
        return Response(b"\x89PNG internal", media_type="image/png")

    media_url = await network.serve([Route("/internal.png", image)])
    item = MediaItem(f"{media_url}/internal.png", "image/png", 10)
    guarded = httpx.AsyncClient(transport=outbound_transport(allow_private=False))
    async with guarded, HttpApi("https://mastodon.example", http=guarded) as api:
        with pytest.raises(PermanentFailure, match="address refused"):
            await api.media_bytes(item)
    assert fetched == []


def test_links_count_23_characters_and_remote_mentions_their_username_only():
    text = "hi @bob@mastodon.social see https://example.com/a/very/long/path/indeed"
    assert status_length(text) == len("hi @bob see ") + 23


async def test_a_reply_to_a_status_url_replies_to_the_status_the_instance_resolves(
    mastodon, network
):
    remote = {
        "id": "109999",
        "created_at": now_iso(),
        "in_reply_to_id": None,
        "content": "<p>When do you reopen?</p>",
        "url": "https://other.example/@camille/42",
        "uri": "https://other.example/users/camille/statuses/42",
    }
    mastodon.statuses.append(remote)
    question = replace(publication("Monday!"), in_reply_to="https://other.example/@camille/42")
    async with adapter(mastodon) as client:
        post = await client.publish(question)
        by_id = await client.publish(replace(publication("Again", key="p2"), in_reply_to="109999"))
    answers = {s["id"]: s for s in mastodon.statuses}
    assert answers[post.external_id]["in_reply_to_id"] == "109999"
    assert answers[by_id.external_id]["in_reply_to_id"] == "109999"
    assert network.problems == []


async def test_a_reply_to_a_url_the_instance_cannot_resolve_fails_for_good(mastodon, network):
    question = replace(publication("Hello"), in_reply_to="https://other.example/@nobody/1")
    async with adapter(mastodon) as client:
        with pytest.raises(PermanentFailure, match="no status"):
            await client.publish(question)
    assert mastodon.statuses == [] and network.problems == []
