"""The listener's engagement inbox for one subsidiary's brand: the item the scope's pushed
mention (a question) opened, a note on it, and the subsidiary's response targets."""

from typing import Any

import grpc
from vigie.listener.v1 import inbox_pb2 as ipb
from vigie.listener.v1 import inbox_pb2_grpc as igrpc
from vigie.listener.v1 import resources_pb2 as lres
from vigie_runtime.testing.waiting import eventually

from tests.security.world import Scope, Seeder


async def inbox_kinds(seed: Seeder, scope: Scope, admin: Any, brand: str, sub: str) -> None:
    async with grpc.aio.insecure_channel(seed.platform.targets["listener"]) as channel:
        inbox = igrpc.InboxServiceStub(channel)
        items: list[str] = []

        async def opened() -> bool:  # the listener's own consumer of mention.captured
            page = await inbox.ListInboxItems(
                ipb.ListInboxItemsRequest(parent=brand), metadata=admin
            )
            items.extend(i.name for i in page.inbox_items)
            return bool(items)

        await eventually(opened, seconds=60)
        item = scope.add("inboxItems", items[0])
        note = await inbox.AddInboxNote(
            ipb.AddInboxNoteRequest(parent=item, text=f"Note {scope.marker}"), metadata=admin
        )
        scope.add("notes", note.name)
        targets = lres.ResponseTargets(
            name=f"{sub}/responseTargets", first_response_seconds=3600, resolution_seconds=86400
        )
        await inbox.SetResponseTargets(
            ipb.SetResponseTargetsRequest(response_targets=targets), metadata=admin
        )
        scope.add("responseTargets", targets.name)
