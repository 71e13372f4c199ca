"""The counting network: speaks the publisher's HTTP sink contract (`POST /posts` with
`Idempotency-Key`, `GET /posts/{key}`), honours the key as a real network's idempotency does,
and records every post it made per publication id (read from the body) and every call."""

import asyncio
from collections import Counter
from dataclasses import dataclass, field

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route


@dataclass
class Sink:
    port: int
    # key -> the post made for it; publication id -> the keys it was posted under.
    posts: dict[str, dict[str, str]] = field(default_factory=dict)
    by_publication: dict[str, list[str]] = field(default_factory=dict)
    calls: Counter[str] = field(default_factory=Counter)
    _server: uvicorn.Server | None = None
    _task: asyncio.Task[None] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/posts"

    async def _create(self, request: Request) -> JSONResponse:
        key = request.headers.get("idempotency-key", "")
        if not key:
            return JSONResponse({"error": "Idempotency-Key is required"}, status_code=400)
        body = await request.json()
        self.calls[key] += 1
        if key not in self.posts:
            self.posts[key] = {"id": f"sink-{len(self.posts) + 1}", "url": f"http://sink/{key}"}
            self.by_publication.setdefault(str(body["publication_id"]), []).append(key)
        return JSONResponse(self.posts[key], status_code=201)

    async def _find(self, request: Request) -> JSONResponse:
        post = self.posts.get(request.path_params["key"])
        return JSONResponse(post) if post else JSONResponse({"error": "not found"}, 404)

    async def start(self) -> None:
        app = Starlette(
            routes=[
                Route("/posts", self._create, methods=["POST"]),
                Route("/posts/{key}", self._find, methods=["GET"]),
            ]
        )
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning")
        self._server = uvicorn.Server(config)
        self._task = asyncio.create_task(self._server.serve())
        while not self._server.started:
            await asyncio.sleep(0.05)

    async def stop(self) -> None:
        if self._server is not None and self._task is not None:
            self._server.should_exit = True
            await self._task
