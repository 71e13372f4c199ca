"""The networks' contract doubles (tests/contract) served for the dispatcher: an account of the
brand connected to each, and what each double holds as published."""

from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from starlette.routing import BaseRoute
from vigie.publisher.v1 import resources_pb2 as pb
from vigie_publisher.adapters.adapter_pool import AdapterPool
from vigie_publisher.adapters.credentials import CredentialVault
from vigie_publisher.adapters.network_factories import network_factories
from vigie_publisher.app.dispatch.dispatcher import Dispatcher, DispatchSettings
from vigie_publisher.app.dispatch.refresh import TokenRefresh
from vigie_publisher.app.token_health import Refresher
from vigie_runtime.testing.databases import backend
from vigie_runtime.uow import UnitOfWork

from ..contract import (
    test_facebook_contract as facebook,
)
from ..contract import (
    test_instagram_contract as instagram,
)
from ..contract import (
    test_linkedin_contract as linkedin,
)
from ..contract import (
    test_mastodon_contract as mastodon,
)
from ..contract import (
    test_threads_contract as threads,
)
from ..contract import (
    test_x_contract as x,
)
from ..contract.conftest import DEADLINE_S, Network
from .conftest import TEST_KEY, connect_source
from .dispatch_support import approved_and_scheduled

PHOTO = pb.Media(uri="https://cdn.test/photo.jpg", mime_type="image/jpeg", size_bytes=1000)


@dataclass(frozen=True)
class Kind:
    """How to serve one network's double and connect an account to it."""

    network: "pb.Network.ValueType"
    double: Callable[[Network], Any]
    token: str
    account_id: str  # the network's own id of the account ("" where the token says it)
    published: Callable[[Any], Sequence[dict[str, Any]]]


KINDS = {
    "mastodon": Kind(
        pb.NETWORK_MASTODON, mastodon.Mastodon, mastodon.TOKEN, "", lambda d: d.statuses
    ),
    "x": Kind(pb.NETWORK_X, x.X, x.TOKEN, "", lambda d: d.tweets),
    "linkedin": Kind(
        pb.NETWORK_LINKEDIN, linkedin.LinkedIn, linkedin.TOKEN, linkedin.AUTHOR, lambda d: d.posts
    ),
    "instagram": Kind(
        pb.NETWORK_INSTAGRAM,
        instagram.Instagram,
        instagram.TOKEN,
        instagram.IG_USER,
        lambda d: d.media,
    ),
    "threads": Kind(
        pb.NETWORK_THREADS, threads.Threads, threads.TOKEN, threads.USER, lambda d: d.posts
    ),
    "facebook": Kind(
        pb.NETWORK_FACEBOOK, facebook.Facebook, facebook.TOKEN, facebook.PAGE, lambda d: d.posts
    ),
}


@dataclass
class Served:
    name: str
    kind: Kind
    network: Network
    double: Any

    @property
    def published(self) -> Sequence[dict[str, Any]]:
        return self.kind.published(self.double)


@asynccontextmanager
async def served(name: str, extra: Sequence[BaseRoute] = ()) -> AsyncIterator[Served]:
    """The double on loopback; every request it got must have followed the contract."""
    network = Network()
    kind = KINDS[name]
    double = kind.double(network)
    double.base_url = await network.serve([*double.routes(), *extra])
    try:
        yield Served(name, kind, network, double)
    finally:
        await network.close()
    assert network.problems == []


def credentials(served: Served, token: str = "", refresh_token: str = "") -> Any:
    token = token or served.kind.token
    if served.name == "mastodon":
        return pb.SocialAccountCredentials(
            mastodon=pb.MastodonCredentials(instance_url=served.double.base_url, access_token=token)
        )
    oauth = pb.OAuthCredentials(
        access_token=token, refresh_token=refresh_token, network_account_id=served.kind.account_id
    )
    return pb.SocialAccountCredentials(oauth=oauth)


async def connect(
    uow: Callable[[], UnitOfWork], served: Served, token: str = "", refresh_token: str = ""
) -> str:
    source = pb.SocialAccount(
        network=served.kind.network,
        handle="lumiere",
        time_zone="Europe/Paris",
        credentials=credentials(served, token, refresh_token),
    )
    return await connect_source(uow, source)


def variant(network: "pb.Network.ValueType", text: str) -> pb.PostVariant:
    media = [PHOTO] if network == pb.NETWORK_INSTAGRAM else []
    return pb.PostVariant(network=network, text=text, media=media)


def soon() -> datetime:
    """A due time close to the real clock: lookups only consider posts made shortly before
    the scheduled time."""
    return datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=30)


async def scheduled(
    uow: Callable[[], UnitOfWork],
    accounts_: dict[str, "pb.Network.ValueType"],
    text: str,
    at: datetime,
) -> str:
    """A post to these accounts (name -> network), approved and due at `at`."""
    networks = sorted(set(accounts_.values()))
    source = pb.Post(social_accounts=list(accounts_), variants=[variant(n, text) for n in networks])
    return await approved_and_scheduled(uow, source, at)


def dispatcher(
    uow: Callable[[], UnitOfWork],
    servers: Sequence[Served],
    at: datetime,
    refreshers: dict[str, Refresher] | None = None,
    *,
    allow_private: bool = True,
) -> Dispatcher:
    """A dispatcher whose adapters talk to the doubles through the production factories;
    `allow_private=False` is production's outbound guard (the doubles are on loopback)."""
    urls = {s.name: s.double.base_url for s in servers}
    vault = CredentialVault([TEST_KEY])
    factories = network_factories(urls, DEADLINE_S, allow_private=allow_private)
    pool = AdapterPool(vault, factories)
    settings = DispatchSettings(call_deadline_s=DEADLINE_S * 3)
    refresh = TokenRefresh(uow, vault, refreshers or {}, DEADLINE_S * 3, lambda: at)
    return Dispatcher(
        uow,
        pool,
        settings,
        skip_locked=backend() == "postgresql",
        clock=lambda: at,
        refresh=refresh,
    )


async def one_post_due(uow: Callable[[], UnitOfWork], served: Served, text: str) -> datetime:
    """An account connected to the double and a post to it, due soon; when it is due."""
    account = await connect(uow, served)
    at = soon()
    await scheduled(uow, {account: served.kind.network}, text, at)
    return at
