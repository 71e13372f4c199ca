"""A bare `graphql-transport-ws` client: enough to see whether the gateway accepts a token in
`connection_init` and what the first answer to one subscription is."""

import asyncio
import json
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
