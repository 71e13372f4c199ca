"""A local HTTP endpoint that counts publish calls, speaking the publisher's HTTP sink contract
(`vigie_publisher.adapters.networks.http_sink`): `POST /posts` with `Idempotency-Key`, `GET
/posts/{key}`, and `GET /stats` for the counts. Run: `python bench/bench_dispatch_sink.py PORT`.
"""

import sys
from collections import Counter

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

posts: dict[str, dict[str, str]] = {}
calls: Counter[str] = Counter()


async def create(request: Request) -> JSONResponse:
    key = request.headers.get("idempotency-key", "")
    if not key:
        return JSONResponse({"error": "Idempotency-Key is required"}, status_code=400)
    await request.body()
    calls[key] += 1
    post = posts.setdefault(key, {"id": f"sink-{len(posts) + 1}", "url": f"http://sink/{key}"})
    return JSONResponse(post, status_code=201)


async def find(request: Request) -> JSONResponse:
    post = posts.get(request.path_params["key"])
    return JSONResponse(post, status_code=200) if post else JSONResponse({"error": "no"}, 404)


async def stats(_request: Request) -> JSONResponse:
    repeated = sum(1 for n in calls.values() if n > 1)
    return JSONResponse(
        {"posts": len(posts), "post_calls": sum(calls.values()), "keys_posted_twice": repeated}
    )


app = Starlette(
    routes=[
        Route("/posts", create, methods=["POST"]),
        Route("/stats", stats, methods=["GET"]),
        Route("/posts/{key}", find, methods=["GET"]),
    ]
)

if __name__ == "__main__":
    uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")
