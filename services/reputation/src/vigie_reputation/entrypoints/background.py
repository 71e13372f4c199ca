"""The worker's loops beside the consumers: the crisis clock, the crisis notifier (delayed
playbook steps) and the webhook dispatcher."""

import asyncio
import logging
from collections.abc import Callable, Coroutine
from datetime import UTC, datetime, timedelta
from typing import Any

from nats.js import JetStreamContext
from vigie_runtime.outbound import outbound_transport
from vigie_runtime.uow import UnitOfWork

from vigie_reputation.adapters.webhook_sender import WebhookSender
from vigie_reputation.app import crisis_notifications, crisis_watch, deliveries
from vigie_reputation.config import Settings

log = logging.getLogger(__name__)
Loop = Callable[[asyncio.Event], Coroutine[Any, Any, None]]
BATCH = 50


def crisis_clock(
    uow: Callable[[], UnitOfWork], settings: Settings
) -> Callable[[JetStreamContext], Loop]:
    params = settings.crisis_params()

    async def tick() -> None:
        async with uow() as work:
            await crisis_watch.close_due_buckets(work, params, datetime.now(UTC))
            await work.commit()

    return lambda js: _every(settings.crisis_clock_seconds, tick, "crisis clock")


def crisis_notifier(
    uow: Callable[[], UnitOfWork], settings: Settings
) -> Callable[[JetStreamContext], Loop]:
    """Sends the playbooks' delayed alert steps when their time comes."""

    async def tick() -> None:
        async with uow() as work:
            await crisis_notifications.send_due(work, datetime.now(UTC))
            await work.commit()

    return lambda js: _every(settings.webhook_poll_seconds, tick, "crisis notifier")


def webhook_dispatcher(
    uow: Callable[[], UnitOfWork], settings: Settings
) -> Callable[[JetStreamContext], Loop]:
    base = timedelta(seconds=settings.webhook_backoff_seconds)
    # A claim outlives the call's deadline, so a slow call is never sent twice at once.
    lease = timedelta(seconds=settings.webhook_deadline_seconds * 2 + 5)

    def make(js: JetStreamContext) -> Loop:
        # Webhook addresses are chosen by tenants: private networks only where allowed.
        transport = outbound_transport(settings.platform.private_outbound_allowed)
        sender = WebhookSender(settings.webhook_deadline_seconds, transport)
        box = settings.webhook_secret_box()

        async def tick() -> None:
            async with uow() as work:
                due = await deliveries.claim_due(work, datetime.now(UTC), lease, BATCH)
                await work.commit()
            answers = await asyncio.gather(
                *(
                    sender.send(w.url, box.open(w.secret), d.body, d.event_id, d.event_type)
                    for d, w in due
                )
            )
            if due:
                async with uow() as work:
                    for (delivery, _), (status, error) in zip(due, answers, strict=True):
                        await deliveries.record(work, delivery, status, error, base)
                    await work.commit()

        async def run(stop: asyncio.Event) -> None:
            try:
                await _every(settings.webhook_poll_seconds, tick, "webhook dispatcher")(stop)
            finally:
                await sender.close()

        return run

    return make


def _every(seconds: float, tick: Callable[[], Coroutine[Any, Any, None]], what: str) -> Loop:
    async def run(stop: asyncio.Event) -> None:
        while not stop.is_set():
            try:
                await tick()
            except Exception:
                log.warning("%s failed; trying again", what, exc_info=True)
            try:
                await asyncio.wait_for(stop.wait(), timeout=seconds)
            except TimeoutError:
                pass

    return run
