"""Demo-like data for the dashboard benchmark, made through the services' gRPC APIs as the demo
users (`vigie up` seeds the group, Lumière and its competitor Rival & Co): listening queries,
a week of mentions pushed by a partner agency and scored by the reputation, an X account and
scheduled posts approved by the French social media manager."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import grpc
from google.protobuf.timestamp_pb2 import Timestamp
from vigie.directory.v1 import directory_pb2 as directory
from vigie.directory.v1 import directory_pb2_grpc
from vigie.directory.v1 import resources_pb2 as directory_pb
from vigie.listener.v1 import listener_pb2 as listener
from vigie.listener.v1 import listener_pb2_grpc
from vigie.listener.v1 import resources_pb2 as listener_pb
from vigie.publisher.v1 import publisher_pb2 as publisher
from vigie.publisher.v1 import publisher_pb2_grpc
from vigie.publisher.v1 import resources_pb2 as publisher_pb
from vigie.reputation.v1 import reputation_pb2 as reputation
from vigie.reputation.v1 import reputation_pb2_grpc
from vigie_cli.demo import DEMO_EMAIL, DEMO_PASSWORD
from vigie_runtime.grpc_client import bearer, open_channel

PER_DAY = {"lumiere": 40, "rival": 15}  # mentions a day over the last 7 days
POSTS = 5
TEXTS = {
    "lumiere": [
        "J'adore le café Lumiere, génial",
        "Lumiere: service lent aujourd'hui, décevant",
        "Un café Lumiere avant le travail",
        "Lumiere ruined my order, awful",
        "Best coffee in town, Lumiere!",
        "Lumiere is fine, nothing special",
    ],
    "rival": [
        "rival coffee was ok",
        "Rival & Co: horrible queue, never again",
        "love the new rival blend",
    ],
}


@dataclass
class DemoData:
    token: str
    brand: str
    summary: dict[str, Any] = field(default_factory=dict)


def stamp(moment: datetime) -> Timestamp:
    result = Timestamp()
    result.FromDatetime(moment)
    return result


async def until(attempt: Callable[[], Awaitable[Any]], seconds: float = 60) -> Any:
    """`attempt()`'s answer once it stops being refused (a brand not yet known downstream)."""
    deadline = asyncio.get_running_loop().time() + seconds
    while True:
        try:
            return await attempt()
        except grpc.aio.AioRpcError:
            if asyncio.get_running_loop().time() > deadline:
                raise
            await asyncio.sleep(0.3)


class Seeder:
    def __init__(self, channels: dict[str, grpc.aio.Channel]) -> None:
        self.directory = directory_pb2_grpc.DirectoryServiceStub(channels["directory"])
        self.listener = listener_pb2_grpc.ListenerServiceStub(channels["listener"])
        self.publisher = publisher_pb2_grpc.PublisherServiceStub(channels["publisher"])
        self.reputation = reputation_pb2_grpc.ReputationServiceStub(channels["reputation"])
        self.auth: tuple[tuple[str, str], ...] = ()
        self.tenant = ""

    async def login(self, email: str) -> str:
        answer = await self.directory.Login(
            directory.LoginRequest(email=email, password=DEMO_PASSWORD)
        )
        return str(answer.token)

    async def brands(self) -> dict[str, str]:
        listed = await self.directory.ListBrands(
            directory.ListBrandsRequest(parent=self.tenant, page_size=50), metadata=self.auth
        )
        names = {"Lumière": "lumiere", "Rival & Co": "rival"}
        return {names[b.display_name]: b.name for b in listed.brands if b.display_name in names}

    async def mentions(self, brands: dict[str, str]) -> int:
        for key, brand in brands.items():
            query = listener_pb.ListeningQuery(display_name=key, query=key, active=True)
            request = listener.CreateListeningQueryRequest(
                parent=brand, listening_query=query, request_id=f"bench-{key}"
            )
            await until(lambda r=request: self.listener.CreateListeningQuery(r, metadata=self.auth))  # type: ignore[misc]
        client_name, token = await self.partner(list(brands.values()))
        source = await self.listener.CreateSource(
            listener.CreateSourceRequest(
                parent=self.tenant, request_id="bench-agency",
                source=listener_pb.Source(
                    display_name="agency", kind=listener_pb.SOURCE_KIND_PARTNER, enabled=True,
                    partner=listener_pb.PartnerSourceConfig(partner_client=client_name),
                ),
            ),
            metadata=self.auth,
        )  # fmt: skip
        pushed = list(week_of_mentions(source.name, brands))

        async def stream() -> AsyncIterator[listener.IngestMentionsRequest]:
            for item in pushed:
                yield item

        answer = await self.listener.IngestMentions(stream(), metadata=bearer(token))
        if answer.accepted_count + answer.duplicate_count != len(pushed):
            raise RuntimeError(f"mentions refused: {list(answer.refusals)[:3]}")
        await self.all_scored(len(pushed))
        return len(pushed)

    async def partner(self, brands: list[str]) -> tuple[str, str]:
        made = await self.directory.CreatePartnerClient(
            directory.CreatePartnerClientRequest(
                parent=self.tenant, request_id="bench-agency",
                partner_client=directory_pb.PartnerClient(
                    display_name="Bench agency", brands=brands, scopes=["mentions.ingest"]
                ),
            ),
            metadata=self.auth,
        )  # fmt: skip
        token = await self.directory.IssuePartnerToken(
            directory.IssuePartnerTokenRequest(
                client_id=made.partner_client.client_id, client_secret=made.client_secret
            )
        )
        return made.partner_client.name, token.token

    async def all_scored(self, count: int, seconds: float = 300) -> None:
        deadline = asyncio.get_running_loop().time() + seconds
        while asyncio.get_running_loop().time() < deadline:
            listed = await self.listener.ListMentions(
                listener.ListMentionsRequest(parent=self.tenant, page_size=1000),
                metadata=self.auth,
            )
            names = [f"{m.name}/sentiment" for m in listed.mentions]
            found = await self.reputation.BatchGetMentionSentiments(
                reputation.BatchGetMentionSentimentsRequest(
                    parent=self.tenant, names=names, skip_missing=True
                ),
                metadata=self.auth,
            )
            if len(names) >= count and len(found.sentiments) >= count:
                return
            await asyncio.sleep(1)
        raise TimeoutError("the mentions were not all scored in time")

    async def posts(self, brand: str) -> int:
        account = publisher_pb.SocialAccount(
            network=publisher_pb.NETWORK_X, handle="@lumiere", time_zone="Europe/Paris",
            credentials=publisher_pb.SocialAccountCredentials(
                oauth=publisher_pb.OAuthCredentials(access_token="t", network_account_id="a1")
            ),
        )  # fmt: skip
        request = publisher.CreateSocialAccountRequest(
            parent=brand, social_account=account, request_id="bench-x"
        )
        made = await until(lambda: self.publisher.CreateSocialAccount(request, metadata=self.auth))
        approver = bearer(await self.login("smm.fr@vigie.dev"))
        now = datetime.now(UTC)
        for i in range(POSTS):
            await self.scheduled_post(brand, made.name, i, now + timedelta(days=2 + i), approver)
        return POSTS

    async def scheduled_post(
        self, brand: str, account: str, i: int, when: datetime, approver: Any
    ) -> None:
        variant = publisher_pb.PostVariant(network=publisher_pb.NETWORK_X, text=f"Nouveau #{i}")
        post = await self.publisher.CreatePost(
            publisher.CreatePostRequest(
                parent=brand, request_id=f"bench-post-{i}",
                post=publisher_pb.Post(social_accounts=[account], variants=[variant]),
            ),
            metadata=self.auth,
        )  # fmt: skip
        submitted = await self.publisher.SubmitPost(
            publisher.SubmitPostRequest(name=post.name), metadata=self.auth
        )
        if submitted.status == publisher_pb.POST_STATUS_SUBMITTED:
            await self.publisher.ApprovePost(
                publisher.ApprovePostRequest(name=post.name), metadata=approver
            )
        schedule = publisher.SchedulePostRequest(name=post.name, schedule_time=stamp(when))
        await self.publisher.SchedulePost(schedule, metadata=self.auth)


def week_of_mentions(source: str, brands: dict[str, str]) -> list[listener.IngestMentionsRequest]:
    """PER_DAY mentions a day of each brand, spread over the last 7 days, 50 authors."""
    now = datetime.now(UTC) - timedelta(minutes=5)
    pushed = []
    for key, brand in brands.items():
        total = PER_DAY[key] * 7
        for i in range(total):
            at = now - timedelta(days=7) * (i / total) * 0.99
            pushed.append(
                mention(source, f"{key}-{i}", brand, TEXTS[key][i % len(TEXTS[key])], at, i % 50)
            )
    return pushed


def mention(
    source: str, external_id: str, brand: str, text: str, at: datetime, author: int
) -> listener.IngestMentionsRequest:
    return listener.IngestMentionsRequest(
        source=source, external_id=external_id,
        mention=listener_pb.Mention(
            brand=brand, text=text, language="fr", publish_time=stamp(at),
            author=listener_pb.MentionAuthor(
                handle=f"@fan{author}.bsky.social", display_name=f"Fan {author}",
                followers_count=100 + 37 * author,
            ),
        ),
    )  # fmt: skip


async def seed(ports: dict[str, int]) -> DemoData:
    channels = {name: open_channel(f"127.0.0.1:{port}") for name, port in ports.items()}
    try:
        seeder = Seeder(channels)
        token = await seeder.login(DEMO_EMAIL)
        seeder.auth = bearer(token)
        me = await seeder.directory.GetCurrentMember(
            directory.GetCurrentMemberRequest(), metadata=seeder.auth
        )
        seeder.tenant = me.name.rsplit("/members/", 1)[0]
        brands = await seeder.brands()
        mentions = await seeder.mentions(brands)
        posts = await seeder.posts(brands["lumiere"])
    finally:
        for channel in channels.values():
            await channel.close()
    summary = {"mentions_scored": mentions, "scheduled_posts": posts, "brands": len(brands)}
    return DemoData(token, brands["lumiere"], summary)
