"""A bare `graphql-transport-ws` client: enough to see whether the gateway accepts a token in
`connection_init` and what the first answer to one subscription is."""

import asyncio
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import websockets
from websockets.exceptions import ConnectionClosed

PROTOCOL = "graphql-transport-ws"


@dataclass(frozen=True)
class WsAnswer:
    kind: str  # "closed", "error", "next", "complete" or "silent" (nothing within the wait)
    close_code: int | None
    text: str

    @property
    def refused(self) -> bool:
        if self.kind in ("closed", "error", "complete"):
            return True
        return self.kind == "next" and bool(json.loads(self.text)["payload"].get("errors"))


def ws_url(http_url: str) -> str:
    return http_url.replace("http://", "ws://", 1)


async def first_answer(
    url: str,
    init_payload: dict[str, Any],
    document: str = "",
    variables: dict[str, Any] | None = None,
    wait: float = 1.5,
) -> WsAnswer:
    """Opens a connection with `init_payload`, subscribes to `document` if given, and returns
    the first thing the gateway says (or "silent")."""
    async with websockets.connect(url, subprotocols=[PROTOCOL]) as socket:  # type: ignore[list-item]
        try:
            await socket.send(json.dumps({"type": "connection_init", "payload": init_payload}))
            acknowledged = json.loads(await asyncio.wait_for(socket.recv(), 10))
            if acknowledged.get("type") != "connection_ack" or not document:
                return WsAnswer(str(acknowledged.get("type")), None, json.dumps(acknowledged))
            subscribe = {"query": document, "variables": variables or {}}
            await socket.send(json.dumps({"id": "1", "type": "subscribe", "payload": subscribe}))
            try:
                text = str(await asyncio.wait_for(socket.recv(), wait))
            except TimeoutError:
                return WsAnswer("silent", None, "")
            return WsAnswer(str(json.loads(text).get("type")), None, text)
        except ConnectionClosed as closed:
            code = closed.rcvd.code if closed.rcvd else None
            reason = closed.rcvd.reason if closed.rcvd else ""
            return WsAnswer("closed", code, reason)


async def collect(
    url: str,
    init_payload: dict[str, Any],
    document: str,
    then: Callable[[], Awaitable[None]],
    until: Callable[[str], bool],
    seconds: float = 20.0,
) -> list[str]:
    """Subscribes, runs `then` (what should cause events), and returns every message received
    until one satisfies `until` or `seconds` pass."""
    received: list[str] = []
    async with websockets.connect(url, subprotocols=[PROTOCOL]) as socket:  # type: ignore[list-item]
        await socket.send(json.dumps({"type": "connection_init", "payload": init_payload}))
        await asyncio.wait_for(socket.recv(), 10)
        subscribe = {"query": document, "variables": {}}
        await socket.send(json.dumps({"id": "1", "type": "subscribe", "payload": subscribe}))
        await asyncio.sleep(0.5)  # the gateway binds its NATS consumer before events are caused
        await then()
        deadline = asyncio.get_running_loop().time() + seconds
        while not any(until(text) for text in received):
            left = deadline - asyncio.get_running_loop().time()
            if left <= 0:
                break
            try:
                received.append(str(await asyncio.wait_for(socket.recv(), left)))
            except TimeoutError:
                break
    return received
