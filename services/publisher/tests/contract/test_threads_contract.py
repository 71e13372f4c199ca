"""The Threads API as documented (POST /{threads-user-id}/threads, GET /{container}?fields=status,
POST /{threads-user-id}/threads_publish, reply_to_id, GET /{threads-user-id}/threads and
/replies, the Graph error object), played by a double, against `ThreadsAdapter`."""

import itertools
from datetime import UTC, datetime, timedelta

import pytest
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from vigie_publisher.adapters.networks.threads import THREADS_VERSION, ThreadsAdapter
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

TOKEN, USER = "threads-token", "25000000000000001"
V = f"/{THREADS_VERSION}"
NOW = datetime(2026, 3, 29, 9, 30, 5, tzinfo=UTC)


class Threads:
    def __init__(self, network: Network) -> None:
        self.network = network
        self.containers: dict[str, dict[str, str]] = {}
        self.posts: list[dict[str, str]] = []  # newest first
        self.ids = (str(n) for n in itertools.count(18_000_000_000_000_001))
        self.base_url = ""

    def routes(self) -> list[Route]:
        return [
            Route(V + "/{user}/threads", self.create_container, methods=["POST"]),
            Route(V + "/{user}/threads", self.list_threads, methods=["GET"]),
            Route(V + "/{user}/replies", self.list_replies, methods=["GET"]),
            Route(V + "/{user}/threads_publish", self.publish, methods=["POST"]),
            Route(V + "/{id}", self.read, methods=["GET"]),
        ]

    async def fields(self, request: Request) -> dict[str, str] | Response:
        fields = (
            dict(await request.form()) if request.method == "POST" else dict(request.query_params)
        )
        if fields.pop("access_token", None) != TOKEN:
            return JSONResponse(graph_error(190, "Error validating access token"), status_code=401)
        self.network.expect(request.path_params.get("user", USER) == USER, "another user")
        return {k: str(v) for k, v in fields.items()}

    async def create_container(self, request: Request) -> Response:
        fields = await self.fields(request)
        if isinstance(fields, Response):
            return fields
        kind = fields.get("media_type", "")
        needs = {"TEXT": "text", "IMAGE": "image_url", "VIDEO": "video_url", "CAROUSEL": "children"}
        self.network.expect(
            kind in needs and fields.get(needs[kind]),
            f"a {kind!r} container without {needs.get(kind)}",
        )
        if reply_to := fields.get("reply_to_id"):
            self.network.expect(
                any(p["id"] == reply_to for p in self.posts), f"reply to unknown {reply_to}"
            )
        container_id = next(self.ids)
        self.containers[container_id] = fields
        return JSONResponse({"id": container_id})

    async def publish(self, request: Request) -> Response:
        fields = await self.fields(request)
        if isinstance(fields, Response):
            return fields
        container = self.containers.get(fields.get("creation_id", ""))
        self.network.expect(container is not None, "threads_publish of an unknown container")

        def apply() -> Response:
            post_id = next(self.ids)
            self.posts.insert(
                0,
                {
                    "id": post_id,
                    "text": container.get("text", ""),
                    "reply_to": container.get("reply_to_id", ""),
                    "timestamp": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S+0000"),
                    "permalink": f"https://www.threads.net/@vigie/post/{post_id}",
                },
            )
            return JSONResponse({"id": post_id})

        return await self.network.create(apply)

    async def read(self, request: Request) -> Response:
        fields = await self.fields(request)
        if isinstance(fields, Response):
            return fields
        item_id = request.path_params["id"]
        if item_id in self.containers:
            return JSONResponse({"id": item_id, "status": "FINISHED"})
        post = next(p for p in self.posts if p["id"] == item_id)
        return JSONResponse({"id": item_id, "permalink": post["permalink"]})

    def listing(self, replies: bool) -> Response:
        chosen = [p for p in self.posts if bool(p["reply_to"]) == replies]
        return JSONResponse({"data": chosen, "paging": {}})

    async def list_threads(self, request: Request) -> Response:
        fields = await self.fields(request)
        return fields if isinstance(fields, Response) else self.listing(replies=False)

    async def list_replies(self, request: Request) -> Response:
        fields = await self.fields(request)
        return fields if isinstance(fields, Response) else self.listing(replies=True)


@pytest.fixture
async def threads(network: Network) -> Threads:
    double = Threads(network)
    double.base_url = await network.serve(double.routes())
    return double


def adapter(double: Threads, token: str = TOKEN) -> ThreadsAdapter:
    return ThreadsAdapter(
        credentials(double.base_url, token),
        account_id=USER,
        deadline_s=DEADLINE_S,
        clock=lambda: NOW,
    )


async def test_a_thread_is_published_as_a_chain_of_replies_with_its_first_comment(threads, network):
    async with adapter(threads) as client:
        post = await client.publish(publication("one", "two", first_comment="and a comment"))
    by_id = {p["id"]: p for p in threads.posts}
    assert [by_id[i]["text"] for i in post.part_ids] == ["one", "two"]
    assert by_id[post.part_ids[1]]["reply_to"] == post.external_id
    assert (threads.posts[0]["text"], threads.posts[0]["reply_to"]) == (
        "and a comment",
        post.external_id,
    )
    assert post.url == f"https://www.threads.net/@vigie/post/{post.external_id}"
    assert network.problems == []


async def test_an_image_post_uses_an_image_container(threads, network):
    async with adapter(threads) as client:
        await client.publish(
            publication("look", media=[MediaItem("https://cdn.test/a.png", "image/png", 10)])
        )
    assert [c["media_type"] for c in threads.containers.values()] == ["IMAGE"]
    assert network.problems == []


async def test_several_media_make_a_carousel_of_item_containers(threads, network):
    media = [
        MediaItem("https://cdn.test/a.png", "image/png", 10),
        MediaItem("https://cdn.test/b.mp4", "video/mp4", 10),
    ]
    async with adapter(threads) as client:
        await client.publish(publication("album", media=media))
    items = [c for c in threads.containers.values() if c.get("is_carousel_item") == "true"]
    carousel = next(c for c in threads.containers.values() if c["media_type"] == "CAROUSEL")
    assert [c["media_type"] for c in items] == ["IMAGE", "VIDEO"]
    assert carousel["text"] == "album" and len(carousel["children"].split(",")) == 2


async def test_a_lost_answer_on_the_second_part_is_unknown_and_lookup_finds_both(threads, network):
    async with adapter(threads) as client:
        network.hold_create(after=1)
        with pytest.raises(OutcomeUnknown, match="part 2 of 2 failed after part 1 went out"):
            await client.publish(publication("one", "two", key="b"))
        found = await client.lookup(publication("one", "two", key="b"))
    assert found is not None and len(found.part_ids) == 2


async def test_throttling_says_when_access_comes_back(threads, network):
    network.refuse_next(
        400, graph_error(4, "Application request limit reached"), business_use_case_usage(USER, 30)
    )
    async with adapter(threads) as client:
        with pytest.raises(RateLimited) as refused:
            await client.publish(publication("hello"))
    assert refused.value.retry_after == NOW + timedelta(minutes=30)


async def test_an_invalid_token_is_an_auth_failure(threads):
    async with adapter(threads, token="gone") as client:
        with pytest.raises(AuthFailed, match="Error validating access token"):
            await client.publish(publication("hello"))


async def test_an_invalid_parameter_is_permanent_with_the_graph_message(threads, network):
    network.refuse_next(400, graph_error(100, "The parameter text is too long", 4279009))
    async with adapter(threads) as client:
        with pytest.raises(PermanentFailure, match="The parameter text is too long"):
            await client.publish(publication("hello"))
