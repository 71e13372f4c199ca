"""For tests that drive the gateway as a front end would: the ASGI app served by uvicorn on a
free loopback port, and a client that asks it GraphQL with the logged-in user's token."""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx

LOGIN = (
    "mutation($e: String!, $p: String!) { login(input: {email: $e, password: $p}) "
    "{ token errors { code reason message } } }"
)


class Front:
    def __init__(self, http: httpx.AsyncClient, url: str) -> None:
        self.http, self.url, self.token = http, url, ""

    async def ask(self, query: str, **variables: Any) -> dict[str, Any]:
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        response = await self.http.post(
            self.url, json={"query": query, "variables": variables}, headers=headers
        )
        assert response.status_code < 500, response.text
        return response.json()  # type: ignore[no-any-return]

    async def log_in(self, email: str, password: str) -> None:
        answer = await self.ask(LOGIN, e=email, p=password)
        assert answer.get("data") and answer["data"]["login"]["token"], answer
        self.token = answer["data"]["login"]["token"]


@asynccontextmanager
async def graphql_front(app: Any) -> AsyncIterator[Front]:
    """Serves the gateway's ASGI `app` with uvicorn until the block ends."""
    import uvicorn

    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_config=None))
    task = asyncio.create_task(server.serve())
    try:
        while not server.started:
            if task.done():  # it failed to start: raise its error rather than wait forever
                await task
            await asyncio.sleep(0.02)
        port = server.servers[0].sockets[0].getsockname()[1]
        async with httpx.AsyncClient(timeout=30) as http:
            yield Front(http, f"http://127.0.0.1:{port}/graphql")
    finally:
        server.should_exit = True
        await task


def payload_errors(answer: dict[str, Any]) -> list[dict[str, Any]]:
    """The errors of every mutation payload in the answer (empty when all succeeded)."""
    found: list[dict[str, Any]] = []
    for payload in (answer.get("data") or {}).values():
        if isinstance(payload, dict):
            found += payload.get("errors") or []
    return found


def succeeded(answer: dict[str, Any]) -> bool:
    """No top-level error and no payload error."""
    return (
        answer.get("data") is not None and not answer.get("errors") and not payload_errors(answer)
    )


def refusal(answer: dict[str, Any]) -> str:
    """The top-level error's code, else the first mutation payload error's reason (the same
    stable UPPER_SNAKE reason the service gave)."""
    if answer.get("errors"):
        return str(answer["errors"][0]["extensions"]["code"])
    for payload in (answer.get("data") or {}).values():
        if isinstance(payload, dict) and payload.get("errors"):
            return str(payload["errors"][0]["reason"])
    raise AssertionError(f"no error in {answer}")
