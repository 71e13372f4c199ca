"""Contract doubles: each network's documented API played by a Starlette app on 127.0.0.1.

A double lives in the test's own event loop (uvicorn on a socket bound to port 0). It records
every request that breaks the documented contract in `problems` (a test asserts there are none),
answers the refusals a test scripts, and can hold the answer to a create that it has applied, so
the adapter's deadline passes after the network did the work.
"""

import asyncio
import json
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
# Deadlines short enough for a held answer to pass them quickly, long enough for loopback on a
# busy machine.
DEADLINE_S = 1.0


class Network:
    """What every double shares: problems seen, scripted refusals, a held answer."""

    def __init__(self) -> None:
        self.problems: list[str] = []
        self.script: list[Response] = []
        self._creates_before_hold: int | None = None
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

    def hold_create(self, after: int = 0) -> None:
        """Hold the answer to the next create, or to the one after `after` more creates."""
        self._creates_before_hold = after

    def refuse_next(self, status: int, body: object, headers: dict[str, str] | None = None) -> None:
        self.script.append(JSONResponse(body, status_code=status, headers=headers))

    async def create(self, apply: Callable[[], Awaitable[Response] | Response]) -> Response:
        """Answer a request that creates something: a scripted refusal, or apply it (and hold
        the answer when asked, as a network that did the work but whose answer was lost)."""
        if self.script:
            return self.script.pop(0)
        answer = apply()
        response = await answer if isinstance(answer, Awaitable) else answer
        if self._creates_before_hold == 0:
            self._creates_before_hold = None
            await self._release.wait()
        elif self._creates_before_hold is not None:
            self._creates_before_hold -= 1
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
            if self._task.done():  # it could not start: say why
                self._task.result()
                raise RuntimeError("the contract double stopped before serving")
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
    # Every request a double received must have followed the network's documented contract.
    assert double.problems == []


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


def graph_error(
    code: int, message: str, subcode: int | None = None, kind: str = "OAuthException"
) -> dict[str, object]:
    """Meta's Graph API error body, the same on Facebook, Instagram and Threads."""
    error: dict[str, object] = {
        "message": message,
        "type": kind,
        "code": code,
        "fbtrace_id": "AbC123xYz",
    }
    if subcode is not None:
        error["error_subcode"] = subcode
    return {"error": error}


def business_use_case_usage(account_id: str, minutes: int) -> dict[str, str]:
    """The `X-Business-Use-Case-Usage` header of a throttled account."""
    usage = {
        account_id: [
            {
                "type": "pages",
                "call_count": 100,
                "total_cputime": 12,
                "total_time": 14,
                "estimated_time_to_regain_access": minutes,
            }
        ]
    }
    return {"X-Business-Use-Case-Usage": json.dumps(usage)}
