"""LinkedIn's versioned Posts API as documented (POST /rest/posts with LinkedIn-Version and
X-Restli-Protocol-Version, the id in x-restli-id, the Images API upload, socialActions comments,
the author finder, its error bodies and daily limits), played by a double, against
`LinkedInAdapter`."""

import itertools
import re
from datetime import UTC, datetime
from urllib.parse import unquote

import pytest
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from vigie_publisher.adapters.networks.linkedin import LinkedInAdapter, little_text, plain_text
from vigie_publisher.domain.publishing import (
    AuthFailed,
    MediaItem,
    OutcomeUnknown,
    PermanentFailure,
    RateLimited,
)

from .conftest import DEADLINE_S, Network, credentials, publication

TOKEN, AUTHOR = "li-token", "urn:li:organization:5515715"
NOW = datetime(2026, 3, 29, 21, 30, tzinfo=UTC)
# A reserved character of the "little text" format not escaped by a backslash, outside templates.
_UNESCAPED = re.compile(r"(?<!\\)[|{}@\[\]()<>#*_~]")


class LinkedIn:
    def __init__(self, network: Network) -> None:
        self.network = network
        self.posts: list[dict[str, object]] = []  # newest first
        self.images: dict[str, bytes] = {}
        self.comments: list[dict[str, object]] = []
        self.ids = itertools.count(7_100_000_000_000_000_001)
        self.base_url = ""

    def routes(self) -> list[Route]:
        return [
            Route("/rest/posts", self.create_post, methods=["POST"]),
            Route("/rest/posts", self.find_posts, methods=["GET"]),
            Route("/rest/images", self.initialize_upload, methods=["POST"]),
            Route("/upload/{image}", self.upload, methods=["PUT"]),
            Route("/rest/socialActions/{urn}/comments", self.comment, methods=["POST"]),
        ]

    def refused(self, request: Request) -> Response | None:
        if request.headers.get("authorization") != f"Bearer {TOKEN}":
            body = {
                "status": 401,
                "serviceErrorCode": 65600,
                "code": "INVALID_ACCESS_TOKEN",
                "message": "Invalid access token",
            }
            return JSONResponse(body, status_code=401)
        self.network.expect(
            re.fullmatch(r"\d{6}", request.headers.get("linkedin-version", "")),
            "no LinkedIn-Version: YYYYMM",
        )
        self.network.expect(
            request.headers.get("x-restli-protocol-version") == "2.0.0",
            "no X-Restli-Protocol-Version: 2.0.0",
        )
        return None

    async def create_post(self, request: Request) -> Response:
        if refused := self.refused(request):
            return refused
        body = await request.json()
        required = {"author", "commentary", "visibility", "distribution", "lifecycleState"}
        self.network.expect(required <= set(body), f"missing {sorted(required - set(body))}")
        self.network.expect(body.get("author") == AUTHOR, "another author")
        bare = _UNESCAPED.findall(re.sub(r"\{hashtag\|\\#\|\w+\}", "", body["commentary"]))
        self.network.expect(not bare, f"unescaped reserved characters {bare} in commentary")
        content = body.get("content", {})
        images = (
            [content["media"]]
            if "media" in content
            else content.get("multiImage", {}).get("images", [])
        )
        self.network.expect(
            all(i["id"] in self.images for i in images), f"unknown images in {content}"
        )

        def apply() -> Response:
            urn = f"urn:li:share:{next(self.ids)}"
            created = int(datetime.now(UTC).timestamp() * 1000)
            self.posts.insert(
                0, {**body, "id": urn, "createdAt": created, "lastModifiedAt": created}
            )
            return Response(status_code=201, headers={"x-restli-id": urn})

        return await self.network.create(apply)

    async def find_posts(self, request: Request) -> Response:
        if refused := self.refused(request):
            return refused
        params = request.query_params
        self.network.expect(
            request.headers.get("x-restli-method") == "FINDER", "no X-RestLi-Method: FINDER"
        )
        self.network.expect(
            (params.get("q"), params.get("author")) == ("author", AUTHOR), f"finder {dict(params)}"
        )
        return JSONResponse(
            {"elements": self.posts[: int(params.get("count", "10"))], "paging": {}}
        )

    async def initialize_upload(self, request: Request) -> Response:
        if refused := self.refused(request):
            return refused
        self.network.expect(
            request.query_params.get("action") == "initializeUpload", "not ?action=initializeUpload"
        )
        owner = (await request.json())["initializeUploadRequest"]["owner"]
        self.network.expect(owner == AUTHOR, "an image owned by another author")
        image = f"urn:li:image:C4E{next(self.ids)}"
        upload_url = f"{self.base_url}/upload/{image}"
        return JSONResponse(
            {
                "value": {
                    "uploadUrlExpiresAt": 1_900_000_000_000,
                    "uploadUrl": upload_url,
                    "image": image,
                }
            }
        )

    async def upload(self, request: Request) -> Response:
        self.images[request.path_params["image"]] = await request.body()
        return Response(status_code=201)

    async def comment(self, request: Request) -> Response:
        if refused := self.refused(request):
            return refused
        body = await request.json()
        self.network.expect(
            body.get("object") == unquote(request.path_params["urn"]), "comment object != path"
        )
        self.comments.append(body)
        return JSONResponse(body, status_code=201)


@pytest.fixture
async def linkedin(network: Network) -> LinkedIn:
    double = LinkedIn(network)
    double.base_url = await network.serve(double.routes())
    return double


def adapter(double: LinkedIn, token: str = TOKEN) -> LinkedInAdapter:
    made = LinkedInAdapter(
        credentials(double.base_url, token),
        author_urn=AUTHOR,
        deadline_s=DEADLINE_S,
        clock=lambda: NOW,
    )
    made.allow_local_media = True  # the image tests give local files
    return made


def test_little_text_escapes_reserved_characters_and_keeps_hashtags_linked():
    text = "Q&A (live) with @vigie at <noon> #launch *now* _here_ [1] ~ | {x} \\"
    escaped = little_text(text)
    assert "{hashtag|\\#|launch}" in escaped and "\\(live\\)" in escaped and "\\@vigie" in escaped
    assert plain_text(escaped) == text


async def test_a_post_with_an_image_and_its_first_comment(linkedin, network, tmp_path):
    image = tmp_path / "chart.png"
    image.write_bytes(b"\x89PNG chart")
    item = MediaItem(str(image), "image/png", 10, alt_text="Q1 chart")
    async with adapter(linkedin) as client:
        post = await client.publish(
            publication("Results (Q1) #growth", media=[item], first_comment="Details")
        )
    created = linkedin.posts[0]
    assert post.external_id == created["id"] and post.url.endswith(post.external_id)
    assert created["commentary"] == "Results \\(Q1\\) {hashtag|\\#|growth}"
    assert linkedin.images[created["content"]["media"]["id"]] == b"\x89PNG chart"
    assert [(c["object"], c["message"]["text"]) for c in linkedin.comments] == [
        (post.external_id, "Details")
    ]
    assert network.problems == []


async def test_several_images_make_a_multi_image_post(linkedin, network, tmp_path):
    items = []
    for name in ("a", "b"):
        (tmp_path / name).write_bytes(name.encode())
        items.append(MediaItem(str(tmp_path / name), "image/png", 1, alt_text=name))
    async with adapter(linkedin) as client:
        await client.publish(publication("two images", media=items))
    images = linkedin.posts[0]["content"]["multiImage"]["images"]
    assert [(linkedin.images[i["id"]], i["altText"]) for i in images] == [(b"a", "a"), (b"b", "b")]


async def test_an_answer_lost_past_the_deadline_is_unknown_and_lookup_finds_the_post(
    linkedin, network
):
    network.hold_create()
    async with adapter(linkedin) as client:
        with pytest.raises(OutcomeUnknown):
            await client.publish(publication("Did it go out? #maybe"))
        found = await client.lookup(publication("Did it go out? #maybe"))
        assert found is not None and found.external_id == linkedin.posts[0]["id"]
        assert await client.lookup(publication("Never sent", key="other")) is None
    assert network.problems == []


async def test_the_daily_throttle_retries_after_midnight_utc(linkedin, network):
    body = {
        "status": 429,
        "message": "Resource level throttle APPLICATION DAY limit for calls to this resource is reached.",
    }
    network.refuse_next(429, body)
    async with adapter(linkedin) as client:
        with pytest.raises(RateLimited, match="APPLICATION DAY limit") as refused:
            await client.publish(publication("hello"))
    assert refused.value.retry_after == datetime(2026, 3, 30, tzinfo=UTC)


async def test_an_invalid_token_is_an_auth_failure(linkedin):
    async with adapter(linkedin, token="expired") as client:
        with pytest.raises(AuthFailed, match="Invalid access token"):
            await client.publish(publication("hello"))


async def test_a_validation_error_is_permanent_with_linkedins_message(linkedin, network):
    message = "ERROR :: /commentary :: length of 3001 exceeds maximum 3000"
    network.refuse_next(422, {"status": 422, "serviceErrorCode": 100, "message": message})
    async with adapter(linkedin) as client:
        with pytest.raises(PermanentFailure, match=re.escape(message)):
            await client.publish(publication("hello"))
