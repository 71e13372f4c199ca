"""What the workload needs, made through the services' own APIs as a user and a partner
would: the demo organization (`vigie up`'s seed), a partner push source for one brand, one
X account per brand (published to the counting sink), and the second brand's queue held."""

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

import grpc
from vigie.directory.v1 import directory_pb2 as directory_rpc
from vigie.directory.v1 import directory_pb2_grpc
from vigie.listener.v1 import listener_pb2 as listener_rpc
from vigie.listener.v1 import listener_pb2_grpc
from vigie.listener.v1 import resources_pb2 as listener_pb
from vigie.publisher.v1 import publisher_pb2 as publisher_rpc
from vigie.publisher.v1 import publisher_pb2_grpc
from vigie.publisher.v1 import resources_pb2 as publisher_pb
from vigie_cli import demo
from vigie_runtime.grpc_client import bearer
from vigie_runtime.testing.bluesky_pds import BlueskyPds

from .platform import Platform

T = TypeVar("T")
# While a replica has not heard of a brand yet, or a process is down, calls fail: try again.
RETRIED = {
    grpc.StatusCode.UNAVAILABLE,
    grpc.StatusCode.NOT_FOUND,
    grpc.StatusCode.DEADLINE_EXCEEDED,
    grpc.StatusCode.INTERNAL,
    grpc.StatusCode.UNKNOWN,
    grpc.StatusCode.FAILED_PRECONDITION,
}


async def retried(call: Callable[[], Awaitable[T]], seconds: float = 120.0) -> T:
    deadline = asyncio.get_running_loop().time() + seconds
    while True:
        try:
            return await call()
        except grpc.aio.AioRpcError as error:
            if error.code() not in RETRIED or asyncio.get_running_loop().time() > deadline:
                raise
            await asyncio.sleep(0.3)


# A killed server is back within seconds: the client's default reconnect backoff (up to
# 2 minutes) would measure the client, not the platform's recovery.
RECONNECT = [
    ("grpc.initial_reconnect_backoff_ms", 100),
    ("grpc.min_reconnect_backoff_ms", 100),
    ("grpc.max_reconnect_backoff_ms", 1000),
]


@dataclass
class Stubs:
    directory: directory_pb2_grpc.DirectoryServiceStub
    listener: listener_pb2_grpc.ListenerServiceStub
    publisher: publisher_pb2_grpc.PublisherServiceStub


@dataclass
class Seeded:
    tenant: str
    admin: tuple[tuple[str, str], ...]
    partner: tuple[tuple[str, str], ...]
    source: str
    published_brand: str  # the partner's brand: mentions and published posts
    held_brand: str  # its queue is held: none of its posts may reach the network
    accounts: dict[str, str]  # brand -> its X account
    partner_client: tuple[str, str]  # id and secret, to renew the partner's token
    # The published brand's account on the local Bluesky PDS and its DID, when one runs.
    bluesky: tuple[str, str] | None = None
    pds_url: str | None = None

    async def renew_tokens(self, stubs: Stubs) -> None:
        """Tokens expire within minutes; a soak outlives them."""
        login = await retried(
            lambda: stubs.directory.Login(
                directory_rpc.LoginRequest(email=demo.DEMO_EMAIL, password=demo.DEMO_PASSWORD)
            )
        )
        client_id, secret = self.partner_client
        partner = await retried(
            lambda: stubs.directory.IssuePartnerToken(
                directory_rpc.IssuePartnerTokenRequest(client_id=client_id, client_secret=secret)
            )
        )
        self.admin, self.partner = bearer(login.token), bearer(partner.token)


def open_stubs(platform: Platform) -> tuple[Stubs, list[grpc.aio.Channel]]:
    channels = {
        s: grpc.aio.insecure_channel(f"127.0.0.1:{platform.ports[s]}", options=RECONNECT)
        for s in ("directory", "listener", "publisher")
    }
    stubs = Stubs(
        directory_pb2_grpc.DirectoryServiceStub(channels["directory"]),
        listener_pb2_grpc.ListenerServiceStub(channels["listener"]),
        publisher_pb2_grpc.PublisherServiceStub(channels["publisher"]),
    )
    return stubs, list(channels.values())


async def seed(platform: Platform, stubs: Stubs, pds: BlueskyPds | None) -> Seeded:
    directory_env = {**platform.processes["directory-api"].env}
    created = await asyncio.to_thread(demo.seed, platform.ports["directory"], directory_env)
    tenant = created["tenant"]
    login = await stubs.directory.Login(
        directory_rpc.LoginRequest(email=demo.DEMO_EMAIL, password=demo.DEMO_PASSWORD)
    )
    admin = bearer(login.token)
    brands = await stubs.directory.ListBrands(
        directory_rpc.ListBrandsRequest(parent=tenant), metadata=admin
    )
    by_name = {b.display_name: b.name for b in brands.brands}
    clients = await stubs.directory.ListPartnerClients(
        directory_rpc.ListPartnerClientsRequest(parent=tenant), metadata=admin
    )
    partner_token = await stubs.directory.IssuePartnerToken(
        directory_rpc.IssuePartnerTokenRequest(
            client_id=created["partner_client_id"], client_secret=created["partner_client_secret"]
        )
    )
    published, held = by_name["Lumière"], by_name["Aurora"]
    source = await retried(
        lambda: stubs.listener.CreateSource(
            listener_rpc.CreateSourceRequest(
                parent=tenant,
                request_id="fault-partner-source",
                source=listener_pb.Source(
                    display_name="fault harness partner",
                    kind=listener_pb.SOURCE_KIND_PARTNER,
                    partner=listener_pb.PartnerSourceConfig(
                        partner_client=clients.partner_clients[0].name
                    ),
                    brands=[published],
                    enabled=True,
                ),
            ),
            metadata=admin,
        )
    )
    accounts = {brand: await _x_account(stubs, admin, brand) for brand in (published, held)}
    await retried(
        lambda: stubs.publisher.HoldQueue(
            publisher_rpc.HoldQueueRequest(name=f"{held}/queue", reason="fault harness"),
            metadata=admin,
        )
    )
    partner_client = (created["partner_client_id"], created["partner_client_secret"])
    bluesky = await _bluesky_account(stubs, admin, published, pds) if pds else None
    return Seeded(
        tenant,
        admin,
        bearer(partner_token.token),
        source.name,
        published,
        held,
        accounts,
        partner_client,
        bluesky,
        pds.url if pds else None,
    )


async def _bluesky_account(
    stubs: Stubs, admin: tuple[tuple[str, str], ...], brand: str, pds: BlueskyPds
) -> tuple[str, str]:
    did, handle, password = await asyncio.to_thread(pds.create_account, "faultharness")
    credentials = publisher_pb.SocialAccountCredentials(
        bluesky=publisher_pb.BlueskyCredentials(
            service_url=pds.url, identifier=handle, app_password=password
        )
    )
    account = await retried(
        lambda: stubs.publisher.CreateSocialAccount(
            publisher_rpc.CreateSocialAccountRequest(
                parent=brand,
                request_id="fault-account-bluesky",
                social_account=publisher_pb.SocialAccount(
                    network=publisher_pb.NETWORK_BLUESKY,
                    handle=handle,
                    time_zone="Europe/Paris",
                    credentials=credentials,
                ),
            ),
            metadata=admin,
        )
    )
    return str(account.name), did


async def _x_account(stubs: Stubs, admin: tuple[tuple[str, str], ...], brand: str) -> str:
    credentials = publisher_pb.SocialAccountCredentials(
        oauth=publisher_pb.OAuthCredentials(access_token="sink", network_account_id=brand)
    )
    account = await retried(
        lambda: stubs.publisher.CreateSocialAccount(
            publisher_rpc.CreateSocialAccountRequest(
                parent=brand,
                request_id=f"fault-account-{brand.rsplit('/', 1)[1]}",
                social_account=publisher_pb.SocialAccount(
                    network=publisher_pb.NETWORK_X,
                    handle=f"@fault{brand.rsplit('/', 1)[1][-6:]}",
                    time_zone="Europe/Paris",
                    credentials=credentials,
                ),
            ),
            metadata=admin,
        )
    )
    return str(account.name)
