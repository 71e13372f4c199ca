"""The dashboard benchmark's data: what `vigie up` seeds on a fresh home (the demo group, then a
week of Lumière's and its competitor's mentions and scheduled posts — vigie_cli.demo_activity),
once the reputation has scored every mention, so the measured query reads a settled dashboard."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

import grpc
from vigie.directory.v1 import directory_pb2 as directory
from vigie.directory.v1 import directory_pb2_grpc
from vigie.listener.v1 import listener_pb2 as listener
from vigie.listener.v1 import listener_pb2_grpc
from vigie.reputation.v1 import reputation_pb2 as reputation
from vigie.reputation.v1 import reputation_pb2_grpc
from vigie_cli.demo import DEMO_EMAIL, DEMO_PASSWORD
from vigie_cli.demo_activity import MENTION_COUNT, POSTS
from vigie_runtime.grpc_client import bearer, open_channel


@dataclass
class DemoData:
    token: str
    brand: str
    summary: dict[str, Any] = field(default_factory=dict)


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
    return DemoData(str(login.token), lumiere, summary)
