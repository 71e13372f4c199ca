"""Contract doubles: each network's documented API played by a Starlette app on 127.0.0.1.

A double lives in the test's own event loop (uvicorn on a socket bound to port 0). It records
every request that breaks the documented contract in `problems` (a test asserts there are none),
answers the refusals a test scripts, and can hold the answer to a create that it has applied, so
the adapter's deadline passes after the network did the work.
"""

import asyncio
import socket
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from datetime import UTC, datetime

import pytest
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute
from vigie_publisher.domain.publishing import (
    AccountCredentials,
    MediaItem,
    OutgoingPublication,
    PostPart,
)

SCHEDULED = datetime(2026, 3, 29, 9, 30, tzinfo=UTC)
# Deadlines short enough for a held answer to pass them quickly, long enough for loopback.
DEADLINE_S = 0.5


class Network:
    """What every double shares: problems seen, scripted refusals, a held answer."""

    def __init__(self) -> None:
        self.problems: list[str] = []
        self.script: list[Response] = []
        self.hold_next_create = False
        self._release = asyncio.Event()
        self._server: uvicorn.Server | None = None
        self._task: asyncio.Task[None] | None = None

    def expect(self, ok: object, problem: str) -> None:
        if not ok:
            self.problems.append(problem)

    def expect_bearer(self, request: Request, token: str) -> None:
        self.expect(
            request.headers.get("authorization") == f"Bearer {token}",
            f"{request.url.path}: no 'Authorization: Bearer {token}'",
        )

    def refuse_next(self, status: int, body: object, headers: dict[str, str] | None = None) -> None:
        self.script.append(JSONResponse(body, status_code=status, headers=headers))

    async def create(self, apply: Callable[[], Awaitable[Response] | Response]) -> Response:
        """Answer a request that creates something: a scripted refusal, or apply it (and hold
        the answer when asked, as a network that did the work but whose answer was lost)."""
        if self.script:
            return self.script.pop(0)
        answer = apply()
        response = await answer if isinstance(answer, Awaitable) else answer
        if self.hold_next_create:
            self.hold_next_create = False
            await self._release.wait()
        return response

    async def serve(self, routes: Sequence[BaseRoute]) -> str:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", 0))
        config = uvicorn.Config(
            Starlette(routes=list(routes)),
            log_level="warning",
            lifespan="off",
            timeout_graceful_shutdown=1,
        )
        self._server = uvicorn.Server(config)
        self._task = asyncio.create_task(self._server.serve(sockets=[listener]))
        while not self._server.started:
            await asyncio.sleep(0.01)
        return f"http://127.0.0.1:{listener.getsockname()[1]}"

    async def close(self) -> None:
        self._release.set()
        if self._server is not None and self._task is not None:
            self._server.should_exit = True
            await self._task


@pytest.fixture
async def network() -> AsyncIterator[Network]:
    double = Network()
    yield double
    await double.close()


def credentials(
    base_url: str, token: str = "good-token", handle: str = "vigie"
) -> AccountCredentials:
    return AccountCredentials(handle=handle, access_token=token, instance_url=base_url)


def publication(
    *texts: str,
    key: str = "pub-1",
    media: Sequence[MediaItem] = (),
    first_comment: str = "",
) -> OutgoingPublication:
    parts = [PostPart(text) for text in texts]
    if media:
        parts[0] = PostPart(texts[0], tuple(media))
    return OutgoingPublication(
        publication_id=key,
        idempotency_key=f"idem-{key}",
        scheduled_at=SCHEDULED,
        parts=tuple(parts),
        first_comment=first_comment,
    )


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
