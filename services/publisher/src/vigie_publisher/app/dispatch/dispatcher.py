"""The dispatcher: claims due publications, publishes each once, records what the network said.

Exactly once: the network's id is committed the moment it confirms; a publication claimed again
after a crash or an unknown outcome is first looked for on the network (`lookup`), and the
adapters' own idempotency (Bluesky's record keys, `Idempotency-Key`) covers the rest. One
account's failure only touches its own publication.
"""

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from vigie_runtime.uow import UnitOfWork

from vigie_publisher.adapters.adapter_pool import AdapterPool
from vigie_publisher.adapters.faults import CLAIMED, CONFIRMED, RECORDED, Faults
from vigie_publisher.app import variant_codec as codec
from vigie_publisher.app.common import now as utc_now
from vigie_publisher.app.dispatch import outcomes
from vigie_publisher.app.dispatch.claims import Claim, claim_due
from vigie_publisher.app.dispatch.group_commit import ConfirmationWriter
from vigie_publisher.app.dispatch.refresh import TokenRefresh
from vigie_publisher.domain.dispatch_rules import Next, after_error, must_reconcile
from vigie_publisher.domain.publishing import (
    AuthFailed,
    MediaItem,
    OutcomeUnknown,
    OutgoingPublication,
    PostPart,
    PublishedPost,
    PublishError,
    RateLimited,
)
from vigie_publisher.domain.token_bucket import TokenBucket

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DispatchSettings:
    batch: int = 200
    concurrency: int = 32
    lease: timedelta = timedelta(seconds=120)
    call_deadline_s: float = 20.0
    poll_s: float = 1.0
    account_rate_per_s: float = 5.0
    account_burst: float = 10.0
    # Waits for the bucket up to this long in place; longer, the claim is given back.
    max_bucket_wait_s: float = 5.0


def outgoing(claim: Claim) -> OutgoingPublication:
    variant = codec.from_json(claim.variant)
    parts = tuple(
        PostPart(
            p.text, tuple(MediaItem(m.uri, m.mime_type, m.size_bytes, m.alt_text) for m in p.media)
        )
        for p in variant.parts
    )
    return OutgoingPublication(
        publication_id=claim.publication_id,
        idempotency_key=claim.publication_id,
        scheduled_at=claim.due_at,
        parts=parts,
        language=variant.language,
        first_comment=variant.first_comment,
        in_reply_to=str(claim.variant.get("in_reply_to", "")),
    )


class Dispatcher:
    def __init__(
        self,
        uow: Callable[[], UnitOfWork],
        pool: AdapterPool,
        settings: DispatchSettings,
        *,
        skip_locked: bool,
        faults: Faults | None = None,
        clock: Callable[[], datetime] = utc_now,
        refresh: TokenRefresh | None = None,
    ) -> None:
        self._uow, self._pool, self._settings = uow, pool, settings
        self._skip_locked, self._faults, self._clock = skip_locked, faults or Faults(), clock
        self._buckets: dict[str, TokenBucket] = {}
        self._confirmations = ConfirmationWriter(uow, clock)
        self._slots = asyncio.Semaphore(settings.concurrency)
        self._refresh = refresh or TokenRefresh(
            uow, pool.vault, {}, settings.call_deadline_s, clock
        )

    async def run(self, stop: asyncio.Event) -> None:
        try:
            while not stop.is_set():
                try:
                    claimed = await self.tick()
                except Exception:  # the database may be away for a moment; keep going
                    log.exception("dispatch tick failed")
                    claimed = 0
                if claimed == 0:
                    try:
                        await asyncio.wait_for(stop.wait(), self._settings.poll_s)
                    except TimeoutError:
                        pass
        finally:
            await self._pool.aclose()

    async def tick(self) -> int:
        """Claims one batch and settles it; how many publications were claimed."""
        async with self._uow() as uow:
            s = self._settings
            claims = await claim_due(uow, self._clock(), s.batch, s.lease, self._skip_locked)
            await uow.commit()
        if claims:
            self._faults.reached(CLAIMED)
            await asyncio.gather(*(self._guarded(c) for c in claims))
        return len(claims)

    async def _guarded(self, claim: Claim) -> None:
        async with self._slots:
            try:
                await self._attempt(claim)
            except Exception:  # its lease ends and it is reconciled then; others go on
                log.exception("publication %s: attempt failed", claim.publication_id)

    async def _attempt(self, claim: Claim) -> None:
        if claim.account_deleted or claim.account_health in ("revoked", "expired"):
            reason = AuthFailed(f"account is {claim.account_health or 'deleted'}")
            await self._record_error(claim, reason, record_on_account=False)
            return
        if not await self._wait_for_bucket(claim):
            return
        try:
            post = await self._send_refreshing(claim, outgoing(claim))
        except PublishError as error:
            if isinstance(error, AuthFailed):
                await self._pool.forget(claim.account_id)
            if isinstance(error, RateLimited):
                self._slow_down(claim.account_id, error)
            await self._record_error(claim, error)
            return
        self._buckets[claim.account_id].succeeded()
        self._faults.reached(CONFIRMED)
        await self._confirmations.record(claim.publication_id, post)
        self._faults.reached(RECORDED)

    async def _send_refreshing(
        self, claim: Claim, publication: OutgoingPublication
    ) -> PublishedPost:
        """A refused token is refreshed once and the call made again: a 401 created nothing."""
        try:
            return await self._send(claim, publication)
        except AuthFailed as refused:
            await self._pool.forget(claim.account_id)
            sealed = await self._refresh.after_refusal(
                claim.account_id, claim.network, claim.sealed_credentials, refused
            )
            return await self._send(replace(claim, sealed_credentials=sealed), publication)

    def _slow_down(self, account_id: str, error: RateLimited) -> None:
        """The account's next calls wait for the network's reset, then go at half the pace."""
        reset = error.retry_after
        wait = (reset - self._clock()).total_seconds() if reset else 0.0
        self._buckets[account_id].slow_down(time.monotonic(), wait)

    async def _send(self, claim: Claim, publication: OutgoingPublication) -> PublishedPost:
        """Looks first when the publication may already be out; every call has a deadline."""
        deadline = self._settings.call_deadline_s
        adapter = await self._pool.adapter(
            claim.account_id, claim.network, claim.sealed_credentials
        )
        try:
            if must_reconcile(claim.previous_state, claim.attempts):
                found = await asyncio.wait_for(adapter.lookup(publication), deadline)
                if found is not None:
                    return found
            return await asyncio.wait_for(adapter.publish(publication), deadline)
        except TimeoutError as exc:
            raise OutcomeUnknown(f"no answer within {deadline}s") from exc

    async def _wait_for_bucket(self, claim: Claim) -> bool:
        s = self._settings
        bucket = self._buckets.setdefault(
            claim.account_id, TokenBucket(s.account_rate_per_s, s.account_burst)
        )
        wait = bucket.take(time.monotonic())
        while 0 < wait <= s.max_bucket_wait_s:
            await asyncio.sleep(wait)
            wait = bucket.take(time.monotonic())
        if wait == 0:
            return True
        # Given back untouched: the same state, the attempt not counted.
        later = Next(claim.previous_state, self._clock() + timedelta(seconds=wait), "THROTTLED")
        async with self._uow() as uow:
            await outcomes.given_back(uow, claim.publication_id, later)
            await uow.commit()
        return False

    async def _record_error(
        self, claim: Claim, error: PublishError, record_on_account: bool = True
    ) -> None:
        decided = after_error(error, claim.attempts, self._clock())
        async with self._uow() as uow:
            await outcomes.not_published(
                uow,
                claim.publication_id,
                decided,
                error if record_on_account else None,
                self._clock(),
            )
            await uow.commit()
