"""Crisis response through GraphQL: playbooks (read, write), a crisis's room and timeline, and
a manager's approval of a statement or export of a resolved room."""

from typing import Annotated

import strawberry
from google.protobuf.field_mask_pb2 import FieldMask
from vigie.reputation.v1 import crisis_response_pb2 as cr
from vigie.reputation.v1 import crisis_response_pb2_grpc
from vigie_runtime.errors import InvalidArgument

from vigie_gateway.context import Context
from vigie_gateway.errors import from_app_error
from vigie_gateway.schema.common import (
    After,
    Connection,
    First,
    NamedOrderBy,
    NodeId,
    list_options,
    listed,
    page_request,
    wire,
)
from vigie_gateway.schema.payloads import payload_mutation
from vigie_gateway.schema.reputation_crisis_response_types import (
    PARENT_ID,
    AlertStepInput,
    ApproveStatementInput,
    CreatePlaybookInput,
    CrisisRoom,
    DeletePlaybookInput,
    ExportCrisisRoomInput,
    Playbook,
    PlaybookFields,
    Statement,
    TimelineEntry,
    UpdatePlaybookInput,
)
from vigie_gateway.schema.reputation_orders import TimelineOrderBy
from vigie_gateway.schema.reputation_reports import Report

Info = strawberry.Info[Context, None]
CrisisId = Annotated[
    strawberry.ID,
    strawberry.argument(
        description="The crisis's global id (`tenants/{t}/brands/{b}/crises/{c}`)."
    ),
]


def crisis_stub(ctx: Context) -> crisis_response_pb2_grpc.CrisisResponseServiceStub:
    # Crisis response shares the reputation's channel: a stub is only a set of method handles.
    return crisis_response_pb2_grpc.CrisisResponseServiceStub(ctx.clients.channels["reputation"])


def _steps(given: list[AlertStepInput]) -> list[cr.AlertStep]:
    return [
        cr.AlertStep(member=str(s.member_id or ""), webhook=str(s.webhook_id or ""),
                     delay_seconds=s.delay_seconds)
        for s in given
    ]  # fmt: skip


def _fill(source: PlaybookFields, playbook: cr.Playbook) -> list[str]:
    """Copies the fields the input gives into the message; returns their mask paths."""
    paths: list[str] = []
    if source.display_name is not None:
        playbook.display_name = source.display_name
        paths.append("display_name")
    if source.alert_steps is not None:
        playbook.alert_steps.extend(_steps(source.alert_steps))
        paths.append("alert_steps")
    if source.holding_statements is not None:
        playbook.holding_statements.extend(
            cr.HoldingStatement(language=s.language, text=s.text) for s in source.holding_statements
        )
        paths.append("holding_statements")
    if source.queue_hold is not None:
        playbook.queue_hold = wire(source.queue_hold)
        paths.append("queue_hold")
    return paths


@strawberry.type
class CrisisResponseQuery:
    @strawberry.field(
        description="The playbooks of a brand or of a subsidiary, oldest first unless `orderBy` "
        "says otherwise."
    )
    async def playbooks(
        self,
        info: Info,
        parent_id: Annotated[strawberry.ID, strawberry.argument(description=PARENT_ID)],
        first: First = 50,
        after: After = None,
        order_by: NamedOrderBy = None,
    ) -> Connection[Playbook]:
        ctx, page = info.context, page_request(first, after)
        request = cr.ListPlaybooksRequest(
            parent=str(parent_id), page_size=page.size, page_token=page.token,
            **list_options(info, order_by),
        )  # fmt: skip
        return await listed(
            info, crisis_stub(ctx).ListPlaybooks, request, page,
            lambda found: [Playbook.of(p) for p in found.playbooks],
        )  # fmt: skip

    @strawberry.field(description="One playbook.")
    async def playbook(self, info: Info, id: NodeId) -> Playbook:
        ctx = info.context
        request = cr.GetPlaybookRequest(name=str(id))
        return Playbook.of(await ctx.call(crisis_stub(ctx).GetPlaybook, request))

    @strawberry.field(
        description="A crisis's room: the playbook applied, its statements and notifications, "
        "the posts held and the brand's volume and sentiment since it opened."
    )
    async def crisis_room(self, info: Info, crisis_id: CrisisId) -> CrisisRoom:
        ctx = info.context
        request = cr.GetCrisisRoomRequest(name=f"{crisis_id}/room")
        return CrisisRoom.of(await ctx.call(crisis_stub(ctx).GetCrisisRoom, request))

    @strawberry.field(description="What happened in a crisis, oldest first unless asked otherwise.")
    async def crisis_timeline(
        self,
        info: Info,
        crisis_id: CrisisId,
        first: First = 50,
        after: After = None,
        order_by: TimelineOrderBy = None,
    ) -> Connection[TimelineEntry]:
        ctx, page = info.context, page_request(first, after)
        request = cr.ListCrisisTimelineRequest(
            parent=str(crisis_id), page_size=page.size, page_token=page.token,
            **list_options(info, order_by),
        )  # fmt: skip
        return await listed(
            info, crisis_stub(ctx).ListCrisisTimeline, request, page,
            lambda found: [TimelineEntry.of(e) for e in found.entries],
        )  # fmt: skip


@strawberry.type
class CrisisResponseMutation:
    @payload_mutation(playbook=Playbook, description="Makes a playbook for a brand or subsidiary.")
    async def create_playbook(self, info: Info, input: CreatePlaybookInput) -> Playbook:
        ctx = info.context
        playbook = cr.Playbook()
        _fill(input, playbook)
        request = cr.CreatePlaybookRequest(
            parent=str(input.parent_id), playbook=playbook, request_id=input.request_id
        )
        return Playbook.of(await ctx.call(crisis_stub(ctx).CreatePlaybook, request))

    @payload_mutation(playbook=Playbook, description="Changes the fields the input gives.")
    async def update_playbook(self, info: Info, input: UpdatePlaybookInput) -> Playbook:
        ctx = info.context
        playbook = cr.Playbook(name=str(input.id), etag=input.etag)
        paths = _fill(input, playbook)
        if not paths:  # an empty mask would mean "every field"
            raise from_app_error(InvalidArgument("input", "give a field to change"))
        request = cr.UpdatePlaybookRequest(playbook=playbook, update_mask=FieldMask(paths=paths))
        return Playbook.of(await ctx.call(crisis_stub(ctx).UpdatePlaybook, request))

    @payload_mutation(deleted_id=strawberry.ID, description="Deletes a playbook.")
    async def delete_playbook(self, info: Info, input: DeletePlaybookInput) -> strawberry.ID:
        ctx = info.context
        request = cr.DeletePlaybookRequest(name=str(input.id), etag=input.etag or "")
        await ctx.call(crisis_stub(ctx).DeletePlaybook, request)
        return input.id

    @payload_mutation(
        statement=Statement,
        description="Approves a proposed holding statement (social media managers and group "
        "admins); the publisher then publishes it.",
    )
    async def approve_statement(self, info: Info, input: ApproveStatementInput) -> Statement:
        ctx = info.context
        request = cr.ApproveStatementRequest(
            name=str(input.id), social_accounts=[str(a) for a in input.social_account_ids or []]
        )
        return Statement.of(await ctx.call(crisis_stub(ctx).ApproveStatement, request))

    @payload_mutation(
        report=Report,
        description="Queues a resolved crisis's room as a report; poll `report(id)` until READY. "
        "An open crisis is refused (FAILED_PRECONDITION, CRISIS_NOT_RESOLVED).",
    )
    async def export_crisis_room(self, info: Info, input: ExportCrisisRoomInput) -> Report:
        ctx = info.context
        request = cr.ExportCrisisRoomRequest(
            name=f"{input.crisis_id}/room", format=wire(input.format), language=input.language,
            request_id=input.request_id,
        )  # fmt: skip
        return Report.of(await ctx.call(crisis_stub(ctx).ExportCrisisRoom, request))
