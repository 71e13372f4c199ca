"""Facebook Pages through the Graph API as documented (POST /{page-id}/feed, /{page-id}/photos,
/{post-id}/comments, GET /{page-id}/feed, the error object and X-Business-Use-Case-Usage),
played by a double, against `FacebookPageAdapter`."""

import itertools
import json
from datetime import UTC, datetime, timedelta

import pytest
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from vigie_publisher.adapters.networks.facebook import GRAPH_VERSION, FacebookPageAdapter
from vigie_publisher.domain.publishing import (
    AuthFailed,
    MediaItem,
    OutcomeUnknown,
    PermanentFailure,
    RateLimited,
)

from .conftest import (
    DEADLINE_S,
    Network,
    business_use_case_usage,
    credentials,
    graph_error,
    publication,
)

TOKEN, PAGE = "page-token", "104000000000001"
V = f"/{GRAPH_VERSION}"
NOW = datetime(2026, 3, 29, 9, 30, 5, tzinfo=UTC)


class Facebook:
    def __init__(self, network: Network) -> None:
        self.network = network
        self.posts: list[dict[str, str]] = []
        self.photos: dict[str, dict[str, str]] = {}
        self.comments: list[dict[str, str]] = []
        self.ids = (str(n) for n in itertools.count(900_000_000_000_001))
        self.base_url = ""

    def routes(self) -> list[Route]:
        return [
            Route(V + "/{page}/feed", self.feed, methods=["GET", "POST"]),
            Route(V + "/{page}/photos", self.photo, methods=["POST"]),
            Route(V + "/{post}/comments", self.comment, methods=["POST"]),
        ]

    async def fields(self, request: Request) -> dict[str, str] | Response:
        fields = (
            dict(await request.form()) if request.method == "POST" else dict(request.query_params)
        )
        if fields.get("access_token") != TOKEN:
            message = "Error validating access token: Session has expired on Sunday, 29-Mar-26."
            return JSONResponse(graph_error(190, message, 463), status_code=400)
        self.network.expect(request.path_params.get("page", PAGE) == PAGE, "another page's edge")
        return {k: str(v) for k, v in fields.items() if k != "access_token"}

    async def feed(self, request: Request) -> Response:
        fields = await self.fields(request)
        if isinstance(fields, Response):
            return fields
        if request.method == "GET":
            return self.listing(fields)
        self.network.expect(fields.get("message"), "a feed post without message")
        media = [
            json.loads(v)["media_fbid"]
            for k, v in sorted(fields.items())
            if k.startswith("attached_media")
        ]
        self.network.expect(all(m in self.photos for m in media), f"unknown media_fbid in {media}")

        def apply() -> Response:
            post_id = f"{PAGE}_{next(self.ids)}"
            self.posts.insert(
                0,
                {
                    "id": post_id,
                    "message": fields["message"],
                    "media": ",".join(media),
                    "created_time": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S+0000"),
                    "permalink_url": f"https://www.facebook.com/{post_id}",
                },
            )
            return JSONResponse({"id": post_id})

        return await self.network.create(apply)

    def listing(self, params: dict[str, str]) -> Response:
        self.network.expect(
            {"id", "message", "created_time"} <= set(params.get("fields", "").split(",")),
            f"fields={params.get('fields')}",
        )
        since = datetime.fromtimestamp(int(params["since"]), UTC).strftime("%Y-%m-%dT%H:%M:%S+0000")
        return JSONResponse(
            {"data": [p for p in self.posts if p["created_time"] >= since], "paging": {}}
        )

    async def photo(self, request: Request) -> Response:
        fields = await self.fields(request)
        if isinstance(fields, Response):
            return fields
        self.network.expect(fields.get("published") == "false", "a photo published on its own")
        photo_id = next(self.ids)
        self.photos[photo_id] = fields
        return JSONResponse({"id": photo_id})

    async def comment(self, request: Request) -> Response:
        fields = await self.fields(request)
        if isinstance(fields, Response):
            return fields
        self.comments.append(
            {"on": request.path_params["post"], "message": fields.get("message", "")}
        )
        return JSONResponse({"id": f"{request.path_params['post']}_{next(self.ids)}"})


@pytest.fixture
async def facebook(network: Network) -> Facebook:
    double = Facebook(network)
    double.base_url = await network.serve(double.routes())
    return double


def adapter(double: Facebook, token: str = TOKEN) -> FacebookPageAdapter:
    return FacebookPageAdapter(
        credentials(double.base_url, token),
        account_id=PAGE,
        deadline_s=DEADLINE_S,
        clock=lambda: NOW,
    )


async def test_a_page_post_with_photos_and_its_first_comment(facebook, network):
    photos = [
        MediaItem("https://cdn.test/a.jpg", "image/jpeg", 1000),
        MediaItem("https://cdn.test/b.jpg", "image/jpeg", 1000),
    ]
    async with adapter(facebook) as client:
        post = await client.publish(publication("Bonjour", media=photos, first_comment="first!"))
    assert facebook.posts[0]["id"] == post.external_id and facebook.posts[0]["message"] == "Bonjour"
    assert [facebook.photos[m]["url"] for m in facebook.posts[0]["media"].split(",")] == [
        p.url for p in photos
    ]
    assert facebook.comments == [{"on": post.external_id, "message": "first!"}]
    assert network.problems == []


async def test_an_answer_lost_past_the_deadline_is_unknown_and_lookup_finds_the_post(
    facebook, network
):
    network.hold_create()
    async with adapter(facebook) as client:
        with pytest.raises(OutcomeUnknown):
            await client.publish(publication("Did it go out?"))
        found = await client.lookup(publication("Did it go out?"))
        assert found is not None and found.external_id == facebook.posts[0]["id"]
        assert await client.lookup(publication("Never sent", key="other")) is None
    assert network.problems == []


async def test_page_throttling_says_when_access_comes_back(facebook, network):
    message = "(#32) Page request limit reached"
    network.refuse_next(400, graph_error(32, message), business_use_case_usage(PAGE, 15))
    async with adapter(facebook) as client:
        with pytest.raises(RateLimited, match=r"Page request limit reached") as refused:
            await client.publish(publication("hello"))
    assert refused.value.retry_after == NOW + timedelta(minutes=15)


async def test_an_expired_page_token_is_an_auth_failure(facebook):
    async with adapter(facebook, token="expired") as client:
        with pytest.raises(AuthFailed, match="Session has expired"):
            await client.publish(publication("hello"))


async def test_an_invalid_parameter_is_permanent_with_the_graph_message(facebook, network):
    network.refuse_next(
        400, graph_error(100, "(#100) Invalid parameter", kind="GraphMethodException")
    )
    async with adapter(facebook) as client:
        with pytest.raises(PermanentFailure, match=r"\(#100\) Invalid parameter"):
            await client.publish(publication("hello"))


async def test_a_thread_is_refused_because_pages_have_none(facebook):
    async with adapter(facebook) as client:
        with pytest.raises(PermanentFailure, match="Facebook has no threads"):
            await client.publish(publication("one", "two"))
    assert facebook.posts == []
