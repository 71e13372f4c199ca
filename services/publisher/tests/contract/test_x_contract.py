"""X API v2 as documented (POST /2/tweets, GET /2/users/me, GET /2/users/:id/tweets, rate-limit
headers, problem-details error bodies), played by a double, against `XAdapter`."""

import itertools
import re
from datetime import UTC, datetime

import pytest
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from vigie_publisher.adapters.networks.x import XAdapter
from vigie_publisher.domain.publishing import (
    AuthFailed,
    MediaItem,
    OutcomeUnknown,
    PermanentFailure,
    RateLimited,
)

from .conftest import DEADLINE_S, Network, credentials, now_iso, publication

TOKEN = "good-token"
USER_ID = "2244994945"
_URL = re.compile(r"https?://\S+")


def problem(status: int, title: str, detail: str) -> dict[str, object]:
    return {"title": title, "detail": detail, "type": "about:blank", "status": status}


class X:
    def __init__(self, network: Network) -> None:
        self.network = network
        self.tweets: list[dict[str, object]] = []  # newest first, as the timeline lists them
        self.media: dict[str, dict[str, object]] = {}
        self.ids = (str(n) for n in itertools.count(1_800_000_000_000_000_001))
        self.base_url = ""

    def routes(self) -> list[Route]:
        return [
            Route("/2/tweets", self.create, methods=["POST"]),
            Route("/2/media/upload", self.upload, methods=["POST"]),
            Route("/2/media/metadata", self.metadata, methods=["POST"]),
            Route("/2/users/me", self.me),
            Route("/2/users/{id}/tweets", self.timeline),
        ]

    def unauthorized(self, request: Request) -> Response | None:
        if request.headers.get("authorization") != f"Bearer {TOKEN}":
            return JSONResponse(problem(401, "Unauthorized", "Unauthorized"), status_code=401)
        return None

    async def create(self, request: Request) -> Response:
        if refused := self.unauthorized(request):
            return refused
        body = await request.json()
        self.network.expect(
            set(body) <= {"text", "reply", "media"}, f"unknown fields {sorted(body)}"
        )
        reply = body.get("reply", {})
        media_ids = body.get("media", {}).get("media_ids", [])
        self.network.expect(
            all(m in self.media for m in media_ids), f"unknown media_ids {media_ids}"
        )
        self.network.expect(set(reply) <= {"in_reply_to_tweet_id"}, f"bad reply object {reply}")

        def apply() -> Response:
            if any(t["posted_text"] == body["text"] for t in self.tweets):
                detail = "You are not allowed to create a Tweet with duplicate content."
                return JSONResponse(problem(403, "Forbidden", detail), status_code=403)
            tweet_id = next(self.ids)
            # X shortens every link to t.co in the text it gives back.
            shown = _URL.sub("https://t.co/AbCdEf1234", body["text"])
            self.tweets.insert(
                0,
                {
                    "id": tweet_id,
                    "text": shown,
                    "posted_text": body["text"],
                    "created_at": now_iso(),
                    "in_reply_to": reply.get("in_reply_to_tweet_id", ""),
                    "media": [self.media[m] for m in media_ids],
                },
            )
            data = {"id": tweet_id, "text": shown, "edit_history_tweet_ids": [tweet_id]}
            return JSONResponse({"data": data}, status_code=201)

        return await self.network.create(apply)

    async def upload(self, request: Request) -> Response:
        if refused := self.unauthorized(request):
            return refused
        form = await request.form()
        media = form.get("media")
        self.network.expect(
            media is not None and not isinstance(media, str), "upload without media"
        )
        self.network.expect(
            form.get("media_category") == "tweet_image", "no media_category=tweet_image"
        )
        media_id = next(self.ids)
        self.media[media_id] = {"id": media_id, "bytes": await media.read(), "alt": ""}
        data = {
            "id": media_id,
            "media_key": f"3_{media_id}",
            "size": len(self.media[media_id]["bytes"]),
        }
        return JSONResponse({"data": data})

    async def metadata(self, request: Request) -> Response:
        if refused := self.unauthorized(request):
            return refused
        body = await request.json()
        self.network.expect(
            body.get("id") in self.media, f"metadata of unknown media {body.get('id')}"
        )
        self.media[body["id"]]["alt"] = body["metadata"]["alt_text"]["text"]
        return JSONResponse({"data": {"associated_metadata": True, "id": body["id"]}})

    async def me(self, request: Request) -> Response:
        user = {"id": USER_ID, "name": "Vigie", "username": "vigie"}
        return self.unauthorized(request) or JSONResponse({"data": user})

    async def timeline(self, request: Request) -> Response:
        params = request.query_params
        self.network.expect(request.path_params["id"] == USER_ID, "timeline of another user")
        self.network.expect(
            5 <= int(params.get("max_results", "10")) <= 100, "max_results out of 5..100"
        )
        self.network.expect(
            "created_at" in params.get("tweet.fields", ""), "no tweet.fields=created_at"
        )
        since = params.get("start_time", "")
        self.network.expect(
            re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", since), f"start_time {since!r}"
        )
        data = [
            {k: t[k] for k in ("id", "text", "created_at")}
            for t in self.tweets
            if t["created_at"] >= since
        ]
        return JSONResponse({"data": data, "meta": {"result_count": len(data)}})


@pytest.fixture
async def x(network: Network) -> X:
    double = X(network)
    double.base_url = await network.serve(double.routes())
    return double


def adapter(double: X, token: str = TOKEN) -> XAdapter:
    made = XAdapter(credentials(double.base_url, token), deadline_s=DEADLINE_S)
    made.allow_local_media = True  # the image tests give local files
    return made


async def test_a_thread_is_a_chain_of_replies_and_the_first_comment_replies_to_the_first(
    x, network
):
    async with adapter(x) as client:
        post = await client.publish(publication("one", "two", first_comment="more"))
    by_id = {t["id"]: t for t in x.tweets}
    assert [by_id[i]["posted_text"] for i in post.part_ids] == ["one", "two"]
    assert by_id[post.part_ids[1]]["in_reply_to"] == post.external_id
    assert (x.tweets[0]["posted_text"], x.tweets[0]["in_reply_to"]) == ("more", post.external_id)
    assert post.url == f"https://x.com/vigie/status/{post.external_id}"
    assert network.problems == []


async def test_an_answer_lost_past_the_deadline_is_unknown_and_lookup_finds_the_thread(x, network):
    texts = ("read https://example.com/a-long-path first", "then this")
    network.hold_create()
    async with adapter(x) as client:
        with pytest.raises(OutcomeUnknown):
            await client.publish(publication(*texts))
        found = await client.lookup(publication(*texts))
        assert found is not None and found.part_ids == (x.tweets[0]["id"],)
        assert await client.lookup(publication("never sent", key="other")) is None
    assert network.problems == []


async def test_a_duplicate_refusal_is_reconciled_to_the_tweet_already_there(x, network):
    async with adapter(x) as client:
        first = await client.publish(publication("same words"))
        again = await client.publish(publication("same words"))
    assert again.external_id == first.external_id and len(x.tweets) == 1


async def test_a_rate_limited_create_says_when_to_retry_from_x_rate_limit_reset(x, network):
    headers = {
        "x-rate-limit-limit": "200",
        "x-rate-limit-remaining": "0",
        "x-rate-limit-reset": "1774777500",
    }
    network.refuse_next(429, problem(429, "Too Many Requests", "Too Many Requests"), headers)
    async with adapter(x) as client:
        with pytest.raises(RateLimited) as refused:
            await client.publish(publication("hello"))
    assert refused.value.retry_after == datetime.fromtimestamp(1774777500, UTC)


async def test_an_exhausted_daily_cap_says_when_its_own_window_resets(x, network):
    headers = {
        "x-rate-limit-reset": "1774777500",
        "x-user-limit-24hour-remaining": "0",
        "x-user-limit-24hour-reset": "1774850000",
    }
    network.refuse_next(429, problem(429, "Too Many Requests", "Too Many Requests"), headers)
    async with adapter(x) as client:
        with pytest.raises(RateLimited) as refused:
            await client.publish(publication("hello"))
    assert refused.value.retry_after == datetime.fromtimestamp(1774850000, UTC)


async def test_an_invalid_token_is_an_auth_failure(x):
    async with adapter(x, token="expired") as client:
        with pytest.raises(AuthFailed):
            await client.publish(publication("hello"))


async def test_an_invalid_request_is_permanent_with_xs_message(x, network):
    message = "$.text: must be at most 280 weighted characters"
    body = {
        "errors": [{"parameters": {"text": ["..."]}, "message": message}],
        "title": "Invalid Request",
        "detail": "One or more parameters to your request was invalid.",
        "type": "https://api.twitter.com/2/problems/invalid-request",
    }
    network.refuse_next(400, body)
    async with adapter(x) as client:
        with pytest.raises(PermanentFailure, match=re.escape(message)):
            await client.publish(publication("hello"))


async def test_an_image_is_uploaded_described_and_attached(x, network, tmp_path):
    image = tmp_path / "photo.jpg"
    image.write_bytes(b"\xff\xd8 jpeg")
    async with adapter(x) as client:
        await client.publish(
            publication("photo", media=[MediaItem(str(image), "image/jpeg", 7, alt_text="a cat")])
        )
    assert [(m["bytes"], m["alt"]) for m in x.tweets[0]["media"]] == [(b"\xff\xd8 jpeg", "a cat")]
    assert network.problems == []


async def test_a_video_is_refused_clearly_until_the_adapter_uploads_in_chunks(x):
    async with adapter(x) as client:
        with pytest.raises(
            PermanentFailure, match="video/mp4 media not supported by this adapter yet"
        ):
            await client.publish(publication("clip", media=[MediaItem("/v.mp4", "video/mp4", 10)]))
    assert x.tweets == []
