"""Revoked partner clients, which every token verifier refuses before their tokens expire.

Tokens are verified locally, so a signature alone cannot tell that the directory revoked the
client since it issued the token. Each verifying process (every gRPC server and the gateway)
follows the directory's `partner_client.revoked` events with an ordered, non-durable JetStream
consumer and refuses, with reason TOKEN_REVOKED, a revoked client's tokens issued before it was
revoked.
"""

import asyncio
import contextlib
import logging
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from nats.aio.msg import Msg
from nats.js.api import ConsumerConfig, DeliverPolicy
from vigie.directory.v1 import events_pb2

from vigie_runtime.errors import Unauthenticated
from vigie_runtime.events import EventType, IncomingEvent, stream_name
from vigie_runtime.nats_connection import connect, ensure_stream
from vigie_runtime.principal import Principal, PrincipalKind

# The directory's contract (protos/vigie/directory/v1/events.proto), bound to its subject.
PARTNER_CLIENT_REVOKED = EventType(
    "directory", "partner_client", "revoked", events_pb2.PartnerClientRevoked
)
# The directory refuses a partner token lifetime above this (vigie_directory.config).
LONGEST_PARTNER_TOKEN = timedelta(hours=1)
# Covers clock differences between the directory and this process.
_MARGIN = timedelta(minutes=5)
# If a process dies without deleting its consumer, the server drops it after this.
_INACTIVE_THRESHOLD_SECONDS = 30.0
CLOSE_SECONDS = 5.0

log = logging.getLogger(__name__)


class RevocationList:
    """Partner client resource names, each with the time it was revoked."""

    def __init__(self) -> None:
        self._revoked: dict[str, datetime] = {}

    def revoke(self, client: str, at: datetime) -> None:
        self._revoked[client] = at

    def check(self, principal: Principal, claims: Mapping[str, Any]) -> None:
        """Raises Unauthenticated(TOKEN_REVOKED) for a revoked client's token issued before
        the revocation (the directory issues none after it)."""
        if principal.kind is not PrincipalKind.PARTNER:
            return
        revoked_at = self._revoked.get(principal.subject)
        if revoked_at is not None and int(claims["iat"]) <= revoked_at.timestamp():
            raise Unauthenticated("TOKEN_REVOKED", "the partner client has been revoked")

    async def deliver(self, message: Msg) -> None:
        """The consumer's callback: records one `partner_client.revoked` event."""
        try:
            event = IncomingEvent.from_nats(message.subject, message.headers, message.data)
            revoked = PARTNER_CLIENT_REVOKED.parse(event)
        except ValueError:
            log.warning("revocations: ignored a message that is not a partner_client.revoked")
            return
        self.revoke(revoked.partner_client.name, event.time)


async def follow_revocations(
    revocations: RevocationList, nats_url: str, name: str, replicas: int = 1
) -> None:
    """Feeds `revocations` until cancelled; waits for NATS when it is not up, and starts again
    after an error, so a NATS outage delays revocations but never stops the caller."""
    delay = 0.2
    while True:
        try:
            await _follow(revocations, nats_url, name, replicas)
        except Exception:
            log.warning("revocations: following the directory failed; retrying", exc_info=True)
            await asyncio.sleep(delay)
            delay = min(delay * 2, 5.0)


async def _follow(revocations: RevocationList, nats_url: str, name: str, replicas: int) -> None:
    client = await connect(nats_url, f"{name}-revocations")
    try:
        js = client.jetstream()
        # The directory may not have started yet: its stream's config is the same everywhere.
        await ensure_stream(js, PARTNER_CLIENT_REVOKED.producer, replicas)
        # Reading back one token lifetime is enough for a process started after a revocation:
        # any token issued before an older revocation has expired already.
        since = datetime.now(UTC) - LONGEST_PARTNER_TOKEN - _MARGIN
        await js.subscribe(
            PARTNER_CLIENT_REVOKED.subject_filter(),
            stream=stream_name(PARTNER_CLIENT_REVOKED.producer),
            cb=revocations.deliver,
            ordered_consumer=True,
            config=ConsumerConfig(deliver_policy=DeliverPolicy.BY_START_TIME, opt_start_time=since),
            # The consumer is ephemeral: the server drops it once this connection is closed.
            inactive_threshold=_INACTIVE_THRESHOLD_SECONDS,
        )
        await asyncio.Event().wait()  # until cancelled; the ordered consumer mends its gaps
    finally:
        # Bounded: a close stuck on a dead socket must not hold up the process's shutdown.
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(client.close(), CLOSE_SECONDS)
