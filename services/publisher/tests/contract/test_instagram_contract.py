"""Instagram content publishing as documented (POST /{ig-user-id}/media, GET /{container-id}
?fields=status_code, POST /{ig-user-id}/media_publish, carousels, comments, GET
/{ig-user-id}/media, the Graph error object), played by a double, against `InstagramAdapter`."""

import itertools
from datetime import UTC, datetime, timedelta

import pytest
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from vigie_publisher.adapters.networks.facebook import GRAPH_VERSION
from vigie_publisher.adapters.networks.instagram import InstagramAdapter
from vigie_publisher.domain.publishing import (
    AuthFailed,
    MediaItem,
    OutcomeUnknown,
    PermanentFailure,
    RateLimited,
)

from .conftest import DEADLINE_S, Network, credentials, graph_error, publication

TOKEN, IG_USER = "ig-token", "17841400000000001"
V = f"/{GRAPH_VERSION}"
PHOTO = MediaItem("https://cdn.test/a.jpg", "image/jpeg", 1000, alt_text="a beach")
NOW = datetime(2026, 3, 29, 9, 30, 5, tzinfo=UTC)
VIDEO = MediaItem("https://cdn.test/b.mp4", "video/mp4", 9000)


class Instagram:
    def __init__(self, network: Network) -> None:
        self.network = network
        self.containers: dict[str, dict[str, str]] = {}
        self.media: list[dict[str, str]] = []  # newest first
        self.comments: list[tuple[str, str]] = []
        self.ids = (str(n) for n in itertools.count(17_900_000_000_000_001))
        self.base_url = ""

    def routes(self) -> list[Route]:
        return [
            Route(V + "/{user}/media", self.create_container, methods=["POST"]),
            Route(V + "/{user}/media", self.list_media, methods=["GET"]),
            Route(V + "/{user}/media_publish", self.publish, methods=["POST"]),
            Route(V + "/{id}/comments", self.comment, methods=["POST"]),
            Route(V + "/{id}", self.read, methods=["GET"]),
        ]

    async def fields(self, request: Request) -> dict[str, str] | Response:
        fields = (
            dict(await request.form()) if request.method == "POST" else dict(request.query_params)
        )
        if fields.pop("access_token", None) != TOKEN:
            message = "Error validating access token: The session has been invalidated."
            return JSONResponse(graph_error(190, message, 460), status_code=400)
        self.network.expect(request.path_params.get("user", IG_USER) == IG_USER, "another account")
        return {k: str(v) for k, v in fields.items()}

    async def create_container(self, request: Request) -> Response:
        fields = await self.fields(request)
        if isinstance(fields, Response):
            return fields
        kind = fields.get("media_type", "IMAGE")
        expected = {
            "IMAGE": "image_url",
            "REELS": "video_url",
            "VIDEO": "video_url",
            "CAROUSEL": "children",
        }
        self.network.expect(
            fields.get(expected.get(kind, "?")), f"a {kind} container without {expected.get(kind)}"
        )
        if kind == "CAROUSEL":
            children = fields["children"].split(",")
            self.network.expect(2 <= len(children) <= 10, "a carousel of 2 to 10 items")
            self.network.expect(
                all(self.containers[c].get("is_carousel_item") == "true" for c in children),
                "a carousel child not created with is_carousel_item=true",
            )
        container_id = next(self.ids)
        # Videos are processed before they can be published.
        fields["status_code"] = "IN_PROGRESS" if kind in ("REELS", "VIDEO") else "FINISHED"
        self.containers[container_id] = fields
        return JSONResponse({"id": container_id})

    async def publish(self, request: Request) -> Response:
        fields = await self.fields(request)
        if isinstance(fields, Response):
            return fields
        container = self.containers.get(fields.get("creation_id", ""))
        if container is None or container["status_code"] != "FINISHED":
            return JSONResponse(
                graph_error(9007, "Media ID is not available", 2207027), status_code=400
            )

        def apply() -> Response:
            media_id = next(self.ids)
            container["status_code"] = "PUBLISHED"
            self.media.insert(
                0,
                {
                    "id": media_id,
                    "caption": container.get("caption", ""),
                    "timestamp": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S+0000"),
                    "permalink": f"https://www.instagram.com/p/{media_id}/",
                    "media_type": container.get("media_type", "IMAGE"),
                },
            )
            return JSONResponse({"id": media_id})

        return await self.network.create(apply)

    async def read(self, request: Request) -> Response:
        fields = await self.fields(request)
        if isinstance(fields, Response):
            return fields
        item_id = request.path_params["id"]
        if container := self.containers.get(item_id):
            self.network.expect(
                fields.get("fields") == "status_code", "container read without fields=status_code"
            )
            answer = {"id": item_id, "status_code": container["status_code"]}
            if container["status_code"] == "IN_PROGRESS":
                container["status_code"] = "FINISHED"  # done by the next time it is asked
            return JSONResponse(answer)
        media = next(m for m in self.media if m["id"] == item_id)
        return JSONResponse({"id": item_id, "permalink": media["permalink"]})

    async def list_media(self, request: Request) -> Response:
        fields = await self.fields(request)
        if isinstance(fields, Response):
            return fields
        self.network.expect("caption" in fields.get("fields", ""), "media listed without caption")
        return JSONResponse({"data": self.media, "paging": {}})

    async def comment(self, request: Request) -> Response:
        fields = await self.fields(request)
        if isinstance(fields, Response):
            return fields
        self.comments.append((request.path_params["id"], fields.get("message", "")))
        return JSONResponse({"id": next(self.ids)})


@pytest.fixture
async def instagram(network: Network) -> Instagram:
    double = Instagram(network)
    double.base_url = await network.serve(double.routes())
    return double


def adapter(double: Instagram, token: str = TOKEN) -> InstagramAdapter:
    return InstagramAdapter(
        credentials(double.base_url, token),
        account_id=IG_USER,
        deadline_s=DEADLINE_S,
        clock=lambda: NOW,
    )


async def test_an_image_post_goes_through_a_container_then_media_publish(instagram, network):
    async with adapter(instagram) as client:
        post = await client.publish(
            publication("Sunset #beach", media=[PHOTO], first_comment="#travel")
        )
    assert (
        instagram.media[0]["id"] == post.external_id
        and instagram.media[0]["caption"] == "Sunset #beach"
    )
    assert post.url == f"https://www.instagram.com/p/{post.external_id}/"
    assert instagram.comments == [(post.external_id, "#travel")]
    assert network.problems == []


async def test_several_media_make_a_carousel_of_processed_children(instagram, network):
    async with adapter(instagram) as client:
        await client.publish(publication("Album", media=[PHOTO, VIDEO]))
    assert (
        instagram.media[0]["media_type"] == "CAROUSEL" and instagram.media[0]["caption"] == "Album"
    )
    assert network.problems == []


async def test_an_answer_lost_past_the_deadline_is_unknown_and_lookup_finds_the_media(
    instagram, network
):
    network.hold_create()
    async with adapter(instagram) as client:
        with pytest.raises(OutcomeUnknown):
            await client.publish(publication("Lost answer", media=[PHOTO]))
        found = await client.lookup(publication("Lost answer", media=[PHOTO]))
        assert found is not None and found.external_id == instagram.media[0]["id"]
        assert await client.lookup(publication("Never sent", key="other")) is None


async def test_the_daily_publishing_limit_is_a_rate_limit(instagram, network):
    body = graph_error(9, "Application request limit reached", 2207042, kind="OAuthException")
    network.refuse_next(400, body, {"Retry-After": "3600"})
    async with adapter(instagram) as client:
        with pytest.raises(RateLimited, match="Application request limit reached") as refused:
            await client.publish(publication("hello", media=[PHOTO]))
    assert refused.value.retry_after == NOW + timedelta(hours=1)


async def test_an_invalidated_token_is_an_auth_failure(instagram):
    async with adapter(instagram, token="stale") as client:
        with pytest.raises(AuthFailed, match="session has been invalidated"):
            await client.publish(publication("hello", media=[PHOTO]))


async def test_an_unavailable_container_is_permanent_with_the_graph_message(instagram, network):
    network.refuse_next(
        400, graph_error(9004, "Only photo or video can be accepted as media type.", 2207052)
    )
    async with adapter(instagram) as client:
        with pytest.raises(PermanentFailure, match="Only photo or video can be accepted"):
            await client.publish(publication("hello", media=[PHOTO]))


async def test_a_post_without_media_is_refused_before_any_call(instagram):
    async with adapter(instagram) as client:
        with pytest.raises(PermanentFailure, match="at least one image or video"):
            await client.publish(publication("text only"))
    assert instagram.containers == {}


async def test_a_local_file_is_refused_because_meta_fetches_media_by_public_url(instagram):
    async with adapter(instagram) as client:
        with pytest.raises(PermanentFailure, match="public URL"):
            await client.publish(
                publication("local", media=[MediaItem("/tmp/a.jpg", "image/jpeg", 10)])
            )
    assert instagram.containers == {}
