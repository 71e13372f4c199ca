"""A network double for dispatcher tests, and a scheduled post to dispatch."""

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

from vigie.publisher.v1 import resources_pb2 as pb
from vigie_publisher.adapters.adapter_pool import AdapterFactory, AdapterPool
from vigie_publisher.adapters.credentials import CredentialVault
from vigie_publisher.app import approvals, posts, scheduling
from vigie_publisher.app.dispatch.dispatcher import Dispatcher, DispatchSettings
from vigie_publisher.domain.publishing import (
    NetworkAdapter,
    OutgoingPublication,
    PublishedPost,
    PublishError,
)
from vigie_runtime.principal import Role
from vigie_runtime.testing.databases import backend
from vigie_runtime.uow import UnitOfWork

from .conftest import BRAND_NAME, TEST_KEY, person

WRITER = person(Role.COMMUNITY_MANAGER, "writer")
LATER = datetime.now(UTC).replace(microsecond=0) + timedelta(hours=1)


class FakeNetwork:
    """Posts kept by idempotency key; `failures` are raised, in order, before any post; with
    `lose_answers`, a post is made but its answer is lost (as a timeout after sending)."""

    def __init__(self, network: str) -> None:
        self.network = network
        self.posts: dict[str, OutgoingPublication] = {}
        self.sends = 0
        self.failures: list[PublishError] = []
        self.lose_answers = 0

    async def publish(self, publication: OutgoingPublication) -> PublishedPost:
        self.sends += 1
        if self.failures:
            raise self.failures.pop(0)
        self.posts.setdefault(publication.idempotency_key, publication)
        if self.lose_answers:
            self.lose_answers -= 1
            from vigie_publisher.domain.publishing import OutcomeUnknown

            raise OutcomeUnknown("connection lost after sending")
        return self._post(publication)

    async def lookup(self, publication: OutgoingPublication) -> PublishedPost | None:
        found = publication.idempotency_key in self.posts
        return self._post(publication) if found else None

    def _post(self, publication: OutgoingPublication) -> PublishedPost:
        key = publication.idempotency_key
        return PublishedPost(f"{self.network}:{key}", f"https://{self.network}.example/{key}")


def factory(network: FakeNetwork) -> AdapterFactory:
    @asynccontextmanager
    async def opened(_credentials: dict[str, Any]) -> AsyncIterator[NetworkAdapter]:
        yield network

    return opened


def dispatcher(
    uow: Callable[[], UnitOfWork], networks: dict[str, FakeNetwork], at: datetime = LATER
) -> Dispatcher:
    vault = CredentialVault([TEST_KEY])
    pool = AdapterPool(vault, {n: factory(f) for n, f in networks.items()})
    skip_locked = backend() == "postgresql"
    return Dispatcher(uow, pool, DispatchSettings(), skip_locked=skip_locked, clock=lambda: at)


async def scheduled_post(uow: Callable[[], UnitOfWork], accounts: list[str]) -> str:
    source = pb.Post(
        social_accounts=accounts,
        variants=[
            pb.PostVariant(network=pb.NETWORK_X, text="Hello"),
            pb.PostVariant(network=pb.NETWORK_BLUESKY, text="Bonjour"),
        ],
    )
    return await approved_and_scheduled(uow, source, LATER)


async def approved_and_scheduled(
    uow: Callable[[], UnitOfWork], source: pb.Post, at: datetime
) -> str:
    """The post written, submitted (approved where no policy asks more) and due at `at`."""
    async with uow() as u:
        row = await posts.create(u, WRITER, BRAND_NAME, source, "")
        await u.commit()
    name = f"{BRAND_NAME}/posts/{row.id}"
    async with uow() as u:
        await approvals.submit(u, WRITER, name, "", "")
        await scheduling.schedule(u, WRITER, name, "", at)
        await u.commit()
    return name
