"""Calls a webhook: the body signed with HMAC-SHA256, a deadline on the whole call."""

import asyncio
import hashlib
import hmac

import httpx

SIGNATURE_HEADER = "X-Vigie-Signature"


def signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


class WebhookSender:
    def __init__(
        self, deadline_seconds: float, transport: httpx.AsyncBaseTransport | None = None
    ) -> None:
        self._deadline = deadline_seconds
        self._client = httpx.AsyncClient(
            transport=transport, timeout=deadline_seconds, follow_redirects=False
        )

    async def send(
        self, url: str, secret: str, body: str, event_id: str, event_type: str
    ) -> tuple[int, str]:
        """(HTTP status, error); status 0 when no answer came before the deadline."""
        data = body.encode()
        headers = {
            "Content-Type": "application/json",
            SIGNATURE_HEADER: signature(secret, data),
            "X-Vigie-Event-Id": event_id,
            "X-Vigie-Event-Type": event_type,
        }
        try:
            # The client's timeout is per read; wait_for bounds a receiver that trickles bytes.
            async with asyncio.timeout(self._deadline):
                answer = await self._client.post(url, content=data, headers=headers)
        except (TimeoutError, httpx.TimeoutException):
            return 0, f"no answer within {self._deadline:g} s"
        except httpx.HTTPError as error:
            return 0, f"{type(error).__name__}: {error}"
        failure = "" if answer.is_success else f"HTTP {answer.status_code}"
        return answer.status_code, failure

    async def close(self) -> None:
        await self._client.aclose()
