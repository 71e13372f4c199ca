"""The dashboard benchmark's data: what `vigie up` seeds on a fresh home (the demo group, then a
week of Lumière's and its competitor's mentions and scheduled posts — vigie_cli.demo_activity),
once the reputation has scored every mention, so the measured query reads a settled dashboard."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import grpc
from vigie.directory.v1 import directory_pb2 as directory
from vigie.directory.v1 import directory_pb2_grpc
from vigie.directory.v1 import resources_pb2 as directory_pb
from vigie.listener.v1 import listener_pb2 as listener
from vigie.listener.v1 import listener_pb2_grpc
from vigie.listener.v1 import resources_pb2 as listener_pb
from vigie.reputation.v1 import reputation_pb2 as reputation
from vigie.reputation.v1 import reputation_pb2_grpc
from vigie_cli.demo import DEMO_EMAIL, DEMO_PASSWORD
from vigie_cli.demo_activity import MENTION_COUNT, POSTS, TEXTS, _mention
from vigie_runtime.grpc_client import bearer, open_channel


@dataclass
class DemoData:
    token: str
    brand: str
    summary: dict[str, Any] = field(default_factory=dict)
    tenant: str = ""


async def _all_scored(
    channels: dict[str, grpc.aio.Channel], auth: Any, tenant: str, seconds: float = 300
) -> None:
    mentions = listener_pb2_grpc.ListenerServiceStub(channels["listener"])
    sentiments = reputation_pb2_grpc.ReputationServiceStub(channels["reputation"])
    deadline = asyncio.get_running_loop().time() + seconds
    while asyncio.get_running_loop().time() < deadline:
        listed = await mentions.ListMentions(
            listener.ListMentionsRequest(parent=tenant, page_size=1000), metadata=auth
        )
        names = [f"{m.name}/sentiment" for m in listed.mentions]
        found = await sentiments.BatchGetMentionSentiments(
            reputation.BatchGetMentionSentimentsRequest(
                parent=tenant, names=names, skip_missing=True
            ),
            metadata=auth,
        )
        if len(names) >= MENTION_COUNT and len(found.sentiments) >= MENTION_COUNT:
            return
        await asyncio.sleep(1)
    raise TimeoutError("the demo mentions were not all scored in time")


async def seed(ports: dict[str, int]) -> DemoData:
    channels = {name: open_channel(f"127.0.0.1:{port}") for name, port in ports.items()}
    try:
        people = directory_pb2_grpc.DirectoryServiceStub(channels["directory"])
        login = await people.Login(directory.LoginRequest(email=DEMO_EMAIL, password=DEMO_PASSWORD))
        auth = bearer(login.token)
        me = await people.GetCurrentMember(directory.GetCurrentMemberRequest(), metadata=auth)
        tenant = me.name.rsplit("/members/", 1)[0]
        brands = await people.ListBrands(
            directory.ListBrandsRequest(parent=tenant, page_size=50), metadata=auth
        )
        lumiere = next(b.name for b in brands.brands if b.display_name == "Lumière")
        await _all_scored(channels, auth, tenant)
    finally:
        for channel in channels.values():
            await channel.close()
    summary = {"mentions_scored": MENTION_COUNT, "scheduled_posts": POSTS, "brands": 2}
    return DemoData(str(login.token), lumiere, summary, tenant)


async def mention_stream(ports: dict[str, int], data: DemoData, rate: float, seconds: float) -> int:
    """New Lumière mentions pushed by a partner agency at `rate`/s for `seconds` (each one is
    captured, then scored: the facts that make the gateway forget its dashboard answers)."""
    channels = {name: open_channel(f"127.0.0.1:{port}") for name, port in ports.items()}
    auth = bearer(data.token)
    try:
        people = directory_pb2_grpc.DirectoryServiceStub(channels["directory"])
        mentions = listener_pb2_grpc.ListenerServiceStub(channels["listener"])
        client = await people.CreatePartnerClient(
            directory.CreatePartnerClientRequest(
                parent=data.tenant,
                partner_client=directory_pb.PartnerClient(
                    display_name="bench stream", brands=[data.brand], scopes=["mentions.ingest"]
                ),
            ),
            metadata=auth,
        )
        token = await people.IssuePartnerToken(
            directory.IssuePartnerTokenRequest(
                client_id=client.partner_client.client_id, client_secret=client.client_secret
            )
        )
        source = await mentions.CreateSource(
            listener.CreateSourceRequest(
                parent=data.tenant,
                source=listener_pb.Source(
                    display_name="bench stream", kind=listener_pb.SOURCE_KIND_PARTNER, enabled=True,
                    partner=listener_pb.PartnerSourceConfig(
                        partner_client=client.partner_client.name
                    ),
                ),
            ),
            metadata=auth,
        )  # fmt: skip
        # One call per mention: the listener commits a call's mentions in batches of 500, so a
        # single long stream would capture them all at its end.
        started = asyncio.get_running_loop().time()
        accepted = 0
        for i in range(int(rate * seconds)):
            await asyncio.sleep(max(0.0, started + i / rate - asyncio.get_running_loop().time()))
            text = TEXTS["lumiere"][i % len(TEXTS["lumiere"])]
            now = datetime.now(UTC)
            one = _mention(source.name, f"bench-{now.timestamp()}-{i}", data.brand, text, now, i)
            answer = await mentions.IngestMentions(_one(one), metadata=bearer(token.token))
            accepted += answer.accepted_count
        return accepted
    finally:
        for channel in channels.values():
            await channel.close()


async def _one(
    request: listener.IngestMentionsRequest,
) -> AsyncIterator[listener.IngestMentionsRequest]:
    yield request
