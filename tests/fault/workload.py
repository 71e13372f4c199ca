"""The steady workload: mentions pushed by the partner through `IngestMentions` (unique ids,
each recorded once the listener accepted it), posts scheduled a few seconds ahead on an account
of the published brand and of the held brand, and the arrival times of `mention.scored` (the
throughput that recovery is measured on)."""

import asyncio
import itertools
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import grpc
import nats
from google.protobuf.timestamp_pb2 import Timestamp
from nats.aio.client import Client
from nats.aio.msg import Msg
from vigie.listener.v1 import listener_pb2 as listener_rpc
from vigie.listener.v1 import resources_pb2 as listener_pb
from vigie.publisher.v1 import publisher_pb2 as publisher_rpc
from vigie.publisher.v1 import resources_pb2 as publisher_pb

from .setup import Seeded, Stubs, retried

TICK_SECONDS = 0.25
TEXTS = ("j'adore ce café, génial", "commande reçue, merci", "pas mal du tout", "super accueil")
UNSCHEDULED = {
    publisher_pb.POST_STATUS_DRAFT,
    publisher_pb.POST_STATUS_SUBMITTED,
    publisher_pb.POST_STATUS_APPROVED,
}


class Workload:
    def __init__(self, stubs: Stubs, seeded: Seeded, rate: int, post_every_s: float) -> None:
        self.stubs, self.seeded = stubs, seeded
        self.rate, self.post_every_s = rate, post_every_s
        self.accepted: set[str] = set()
        self.refusals: list[str] = []
        self.posts: dict[str, str] = {}  # post name -> brand
        self.scored_at: list[float] = []
        self._numbers = itertools.count(1)
        self._nats: Client | None = None

    async def watch_scored(self, nats_url: str) -> None:
        async def arrived(_message: Msg) -> None:
            self.scored_at.append(time.monotonic())

        async def quiet(_error: Exception) -> None:
            """NATS is stopped and frozen on purpose: its errors are expected here."""

        self._nats = await nats.connect(
            nats_url, max_reconnect_attempts=-1, reconnect_time_wait=0.2, error_cb=quiet
        )
        await self._nats.subscribe("vigie.reputation.*.mention.scored.v1", cb=arrived)

    async def close(self) -> None:
        if self._nats is not None:
            await self._nats.close()

    def scored_between(self, start: float, end: float) -> int:
        return sum(1 for moment in self.scored_at if start <= moment < end)

    async def renew_tokens(self, stop: asyncio.Event, every_s: float = 240.0) -> None:
        """Tokens live minutes (the directory's `*_TOKEN_MINUTES`); a soak outlives them."""
        while True:
            try:
                await asyncio.wait_for(stop.wait(), every_s)
                return
            except TimeoutError:
                await self.seeded.renew_tokens(self.stubs)

    async def push_mentions(self, stop: asyncio.Event) -> None:
        per_tick = max(1, round(self.rate * TICK_SECONDS))
        started = time.monotonic()
        for tick in itertools.count():
            if stop.is_set():
                return
            batch = [f"m{next(self._numbers):07d}" for _ in range(per_tick)]
            await self._push_until_accepted(batch, stop)
            await asyncio.sleep(max(0.0, started + (tick + 1) * TICK_SECONDS - time.monotonic()))

    async def _push_until_accepted(self, batch: list[str], stop: asyncio.Event) -> None:
        """A batch whose call failed is pushed again whole: ids already received count as
        duplicates on the listener's side, so nothing is captured twice."""
        while True:
            try:
                answer = await self.stubs.listener.IngestMentions(
                    self._requests(batch), metadata=self.seeded.partner, timeout=10
                )
            except grpc.aio.AioRpcError as error:
                if error.code() == grpc.StatusCode.UNAUTHENTICATED:
                    await self.seeded.renew_tokens(self.stubs)
                await asyncio.sleep(0.2)
                continue
            if answer.refused_count:
                self.refusals += [f"{r.external_id}: {r.reason}" for r in answer.refusals]
            self.accepted.update(batch)
            return

    async def _requests(
        self, batch: list[str]
    ) -> AsyncIterator[listener_rpc.IngestMentionsRequest]:
        stamp = Timestamp()
        stamp.FromDatetime(datetime.now(UTC))
        for external_id in batch:
            yield listener_rpc.IngestMentionsRequest(
                source=self.seeded.source,
                external_id=external_id,
                mention=listener_pb.Mention(
                    brand=self.seeded.published_brand,
                    text=f"{TEXTS[int(external_id[1:]) % len(TEXTS)]} ({external_id})",
                    language="fr",
                    publish_time=stamp,
                    author=listener_pb.MentionAuthor(
                        handle="@client.bsky.social", followers_count=80
                    ),
                ),
            )

    async def schedule_posts(self, stop: asyncio.Event) -> None:
        tasks: list[asyncio.Task[None]] = []
        for number in itertools.count(1):
            if stop.is_set():
                break
            held = number % 4 == 0
            brand = self.seeded.held_brand if held else self.seeded.published_brand
            tasks.append(asyncio.create_task(self._scheduled(number, brand)))
            try:
                await asyncio.wait_for(stop.wait(), self.post_every_s)
            except TimeoutError:
                pass
        await asyncio.gather(*tasks)

    async def _scheduled(self, number: int, brand: str) -> None:
        """Creates (idempotently, by request id), submits and schedules one post 3 s ahead,
        reading its status back after each failure: a call whose answer was lost may have
        been applied."""
        accounts, networks = [self.seeded.accounts[brand]], [publisher_pb.NETWORK_X]
        if self.seeded.bluesky and brand == self.seeded.published_brand:
            accounts.append(self.seeded.bluesky[0])  # the real PDS as well as the sink
            networks.append(publisher_pb.NETWORK_BLUESKY)
        post = publisher_pb.Post(
            social_accounts=accounts,
            variants=[publisher_pb.PostVariant(network=n, text=f"Post {number}") for n in networks],
        )
        made = await retried(
            lambda: self.stubs.publisher.CreatePost(
                publisher_rpc.CreatePostRequest(
                    parent=brand, post=post, request_id=f"fault-post-{number}"
                ),
                metadata=self.seeded.admin,
                timeout=10,
            ),
            seconds=600,
        )
        self.posts[made.name] = brand
        while True:
            try:
                await self._advance(made.name, self.seeded.admin)
                return
            except grpc.aio.AioRpcError:
                await asyncio.sleep(0.3)

    async def _advance(self, name: str, admin: tuple[tuple[str, str], ...]) -> None:
        publisher = self.stubs.publisher
        while True:
            status = (
                await publisher.GetPost(
                    publisher_rpc.GetPostRequest(name=name), metadata=admin, timeout=10
                )
            ).status
            if status not in UNSCHEDULED:
                return
            if status == publisher_pb.POST_STATUS_DRAFT:
                await publisher.SubmitPost(
                    publisher_rpc.SubmitPostRequest(name=name), metadata=admin, timeout=10
                )
            elif status == publisher_pb.POST_STATUS_APPROVED:
                request = publisher_rpc.SchedulePostRequest(name=name)
                request.schedule_time.FromDatetime(datetime.now(UTC) + timedelta(seconds=3))
                await publisher.SchedulePost(request, metadata=admin, timeout=10)
            else:
                raise RuntimeError(f"{name} waits for an approval the harness never gives")
