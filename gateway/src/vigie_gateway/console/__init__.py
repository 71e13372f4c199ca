"""The reference console: plain ES modules served at /console, talking to the public GraphQL
API only (the same origin's /graphql over HTTP and WebSocket). Its pages get a strict Content
Security Policy: scripts, styles and connections from the gateway itself and nothing else."""

import re
from pathlib import Path
from typing import Any

from starlette.routing import BaseRoute, Mount
from starlette.staticfiles import StaticFiles

STATIC = Path(__file__).parent / "static"
# A Host header is the client's to choose: only a plain host[:port] goes into the policy.
_PLAIN_HOST = re.compile(r"^[A-Za-z0-9.\-]+(:[0-9]{1,5})?$|^\[[0-9A-Fa-f:.]+\](:[0-9]{1,5})?$")


def content_security_policy(host: str) -> str:
    # 'self' covers ws:/wss: of the same host in CSP 3; older browsers need them named.
    sockets = f" ws://{host} wss://{host}" if _PLAIN_HOST.match(host) else ""
    return (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        f"connect-src 'self'{sockets}; base-uri 'none'; form-action 'none'; "
        "frame-ancestors 'none'"
    )


class _WithSecurityHeaders:
    """Adds the policy (and no-sniff, no-referrer) to every response of the wrapped app."""

    def __init__(self, app: Any) -> None:
        self._app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        headers = dict(scope.get("headers") or [])
        policy = content_security_policy(headers.get(b"host", b"").decode("latin-1"))

        async def send_with_headers(message: Any) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [
                    *message.get("headers", []),
                    (b"content-security-policy", policy.encode()),
                    (b"x-content-type-options", b"nosniff"),
                    (b"referrer-policy", b"no-referrer"),
                    (b"cache-control", b"no-cache"),
                ]
            await send(message)

        await self._app(scope, receive, send_with_headers)


def console_routes(enabled: bool) -> list[BaseRoute]:
    """`/console/` and its files when enabled (GATEWAY_CONSOLE), else nothing (404)."""
    if not enabled:
        return []
    files = StaticFiles(directory=STATIC, html=True)
    return [Mount("/console", app=_WithSecurityHeaders(files), name="console")]
