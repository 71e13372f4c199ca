"""A week of activity for the demo organization, so the console's dashboard, mention stream and
calendar show something on a first `vigie up`: listening queries for Lumière and its competitor,
a week of mentions pushed by the demo partner agency (then scored by the reputation as any
mention is), an X account and scheduled posts approved by the French social media manager.

Everything goes through the services' public gRPC APIs as the demo users, like a client would;
request ids make a repeated seeding change nothing. The X account's credentials are placeholders:
its posts are scheduled days ahead, and one that comes due fails with the network's refusal, as
an account with a revoked token would.
"""

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

import grpc
from google.protobuf.timestamp_pb2 import Timestamp
from vigie.directory.v1 import directory_pb2 as directory
from vigie.directory.v1 import directory_pb2_grpc
from vigie.listener.v1 import listener_pb2 as listener
from vigie.listener.v1 import listener_pb2_grpc
from vigie.listener.v1 import resources_pb2 as listener_pb
from vigie.publisher.v1 import publisher_pb2 as publisher
from vigie.publisher.v1 import publisher_pb2_grpc
from vigie.publisher.v1 import resources_pb2 as publisher_pb
from vigie_runtime.grpc_client import bearer, open_channel

from vigie_cli.demo import DEMO_EMAIL, DEMO_PASSWORD

T = TypeVar("T")

PER_DAY = {"lumiere": 40, "rival": 15}  # mentions a day over the last 7 days
BRAND_KEYS = {"Lumière": "lumiere", "Rival & Co": "rival"}
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
MENTION_COUNT = sum(PER_DAY.values()) * 7


@dataclass(frozen=True)
class PartnerCredentials:
    """The demo agency's client, as `demo.seed` created it (its secret is shown only then)."""

    client_name: str
    client_id: str
    client_secret: str


def stamp(moment: datetime) -> Timestamp:
    result = Timestamp()
    result.FromDatetime(moment)
    return result


async def until_known(attempt: Callable[[], Awaitable[T]], seconds: float = 60) -> T:
    """`attempt()`'s answer once it stops being refused: a brand the directory just created is
    known to the other services only once its event has reached them."""
    deadline = asyncio.get_running_loop().time() + seconds
    while True:
        try:
            return await attempt()
        except grpc.aio.AioRpcError as error:
            refused = error.code() in (grpc.StatusCode.NOT_FOUND, grpc.StatusCode.INVALID_ARGUMENT)
            if not refused or asyncio.get_running_loop().time() > deadline:
                raise
            await asyncio.sleep(0.3)


class _Seeder:
    def __init__(self, channels: dict[str, grpc.aio.Channel]) -> None:
        self.directory = directory_pb2_grpc.DirectoryServiceStub(channels["directory"])
        self.listener = listener_pb2_grpc.ListenerServiceStub(channels["listener"])
        self.publisher = publisher_pb2_grpc.PublisherServiceStub(channels["publisher"])
        self.auth: tuple[tuple[str, str], ...] = ()
        self.tenant = ""

    async def login(self, email: str) -> str:
        answer = await self.directory.Login(
            directory.LoginRequest(email=email, password=DEMO_PASSWORD), timeout=10
        )
        return str(answer.token)

    async def brands(self) -> dict[str, str]:
        listed = await self.directory.ListBrands(
            directory.ListBrandsRequest(parent=self.tenant, page_size=50),
            metadata=self.auth,
            timeout=10,
        )
        known = [b for b in listed.brands if b.display_name in BRAND_KEYS]
        return {BRAND_KEYS[b.display_name]: b.name for b in known}

    async def mentions(self, brands: dict[str, str], partner: PartnerCredentials) -> int:
        for key, brand in brands.items():
            query = listener_pb.ListeningQuery(display_name=key, query=key, active=True)
            request = listener.CreateListeningQueryRequest(
                parent=brand, listening_query=query, request_id=f"demo-query-{key}"
            )
            await until_known(
                lambda r=request: self.listener.CreateListeningQuery(  # type: ignore[misc]
                    r, metadata=self.auth, timeout=10
                )
            )
        source = await self.listener.CreateSource(
            listener.CreateSourceRequest(
                parent=self.tenant, request_id="demo-agency-source",
                source=listener_pb.Source(
                    display_name="Agence Lumière", kind=listener_pb.SOURCE_KIND_PARTNER,
                    enabled=True,
                    partner=listener_pb.PartnerSourceConfig(partner_client=partner.client_name),
                ),
            ),
            metadata=self.auth, timeout=10,
        )  # fmt: skip
        token = await self.directory.IssuePartnerToken(
            directory.IssuePartnerTokenRequest(
                client_id=partner.client_id, client_secret=partner.client_secret
            ),
            timeout=10,
        )
        pushed = week_of_mentions(source.name, brands)

        async def stream() -> AsyncIterator[listener.IngestMentionsRequest]:
            for item in pushed:
                yield item

        answer = await self.listener.IngestMentions(
            stream(), metadata=bearer(token.token), timeout=120
        )
        if answer.accepted_count + answer.duplicate_count != len(pushed):
            raise RuntimeError(f"demo mentions refused: {list(answer.refusals)[:3]}")
        return len(pushed)

    async def posts(self, brand: str) -> int:
        account = publisher_pb.SocialAccount(
            network=publisher_pb.NETWORK_X, handle="@lumiere", time_zone="Europe/Paris",
            credentials=publisher_pb.SocialAccountCredentials(
                oauth=publisher_pb.OAuthCredentials(
                    access_token="demo-placeholder",  # noqa: S106 - not a secret, see above
                    network_account_id="demo-lumiere",
                )
            ),
        )  # fmt: skip
        request = publisher.CreateSocialAccountRequest(
            parent=brand, social_account=account, request_id="demo-x-account"
        )
        made = await until_known(
            lambda: self.publisher.CreateSocialAccount(request, metadata=self.auth, timeout=10)
        )
        approver = bearer(await self.login("smm.fr@vigie.dev"))
        now = datetime.now(UTC)
        for i in range(POSTS):
            await self._scheduled_post(brand, made.name, i, now + timedelta(days=2 + i), approver)
        return POSTS

    async def _scheduled_post(
        self, brand: str, account: str, i: int, when: datetime, approver: Any
    ) -> None:
        variant = publisher_pb.PostVariant(
            network=publisher_pb.NETWORK_X, text=f"Nouveau chez Lumière, épisode {i + 1}"
        )
        post = await self.publisher.CreatePost(
            publisher.CreatePostRequest(
                parent=brand, request_id=f"demo-post-{i}",
                post=publisher_pb.Post(social_accounts=[account], variants=[variant]),
            ),
            metadata=self.auth, timeout=10,
        )  # fmt: skip
        if post.status == publisher_pb.POST_STATUS_DRAFT:
            submitted = await self.publisher.SubmitPost(
                publisher.SubmitPostRequest(name=post.name), metadata=self.auth, timeout=10
            )
            if submitted.status == publisher_pb.POST_STATUS_SUBMITTED:
                await self.publisher.ApprovePost(
                    publisher.ApprovePostRequest(name=post.name), metadata=approver, timeout=10
                )
            schedule = publisher.SchedulePostRequest(name=post.name, schedule_time=stamp(when))
            await self.publisher.SchedulePost(schedule, metadata=self.auth, timeout=10)


def week_of_mentions(source: str, brands: dict[str, str]) -> list[listener.IngestMentionsRequest]:
    """PER_DAY mentions a day of each brand, spread over the last 7 days, 50 authors."""
    now = datetime.now(UTC) - timedelta(minutes=5)
    pushed = []
    for key, brand in brands.items():
        total = PER_DAY[key] * 7
        for i in range(total):
            at = now - timedelta(days=7) * (i / total) * 0.99
            text = TEXTS[key][i % len(TEXTS[key])]
            pushed.append(_mention(source, f"demo-{key}-{i}", brand, text, at, i % 50))
    return pushed


def _mention(
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


async def seed(ports: dict[str, int], partner: PartnerCredentials) -> dict[str, Any]:
    """Pushes the week of mentions and schedules the posts; returns what it made. It does not
    wait for the mentions to be scored (the reputation does that in the background)."""
    channels = {name: open_channel(f"127.0.0.1:{port}") for name, port in ports.items()}
    try:
        seeder = _Seeder(channels)
        seeder.auth = bearer(await seeder.login(DEMO_EMAIL))
        me = await seeder.directory.GetCurrentMember(
            directory.GetCurrentMemberRequest(), metadata=seeder.auth, timeout=10
        )
        seeder.tenant = me.name.rsplit("/members/", 1)[0]
        brands = await seeder.brands()
        mentions = await seeder.mentions(brands, partner)
        posts = await seeder.posts(brands["lumiere"])
    finally:
        for channel in channels.values():
            await channel.close()
    return {"mentions_pushed": mentions, "scheduled_posts": posts, "brands": sorted(brands)}
