"""A campaign's tracking codes and the conversions attributed to them, through GraphQL.
PartnershipsQuery and PartnershipsMutation inherit these fields."""

from datetime import datetime
from enum import Enum

import strawberry
from vigie.partnerships.v1 import partnerships_pb2 as rpc
from vigie.partnerships.v1 import resources_pb2 as pb

from vigie_gateway.context import Context
from vigie_gateway.schema.common import Connection, DeletePayload, moment, page_info, page_size
from vigie_gateway.schema.partnerships_types import Contract, Money

Info = strawberry.Info[Context, None]


@strawberry.enum(description="A discount code, or a tracked link.")
class TrackingCodeKind(Enum):
    COUPON = pb.TRACKING_CODE_KIND_COUPON
    LINK = pb.TRACKING_CODE_KIND_LINK


@strawberry.type(description="A code or link that attributes sales to a contract.")
class TrackingCode:
    id: strawberry.ID
    code: str
    kind: TrackingCodeKind
    contract_id: strawberry.ID
    destination_url: str

    @strawberry.field(description="The contract it attributes sales to (one call per response).")
    async def contract(self, info: Info) -> Contract:
        return (await load_contracts(info.context, [str(self.contract_id)]))[0]

    @classmethod
    def of(cls, t: pb.TrackingCode) -> "TrackingCode":
        return cls(
            id=strawberry.ID(t.name), code=t.code, kind=TrackingCodeKind(t.kind),
            contract_id=strawberry.ID(t.contract), destination_url=t.destination_url,
        )  # fmt: skip


async def load_contracts(context: Context, names: list[str]) -> list[Contract]:
    """One BatchGet for every contract a response nests (no N+1)."""

    async def batch(keys: list[str]) -> list[Contract]:
        response = await context.call(
            context.clients.partnerships.BatchGetContracts,
            rpc.BatchGetContractsRequest(parent=context.tenant_name, names=keys),
        )
        return [Contract.of(c) for c in response.contracts]

    return list(await context.loader("partnerships.contracts", batch).load_many(names))


@strawberry.type(description="A sale attributed to a tracking code.")
class Conversion:
    id: strawberry.ID
    code: str
    order_id: str
    revenue: Money
    occurred_at: datetime
    tracking_code_id: strawberry.ID

    @classmethod
    def of(cls, c: pb.Conversion) -> "Conversion":
        return cls(
            id=strawberry.ID(c.name), code=c.code, order_id=c.order_id,
            revenue=Money.of(c.revenue), occurred_at=moment(c.occur_time),
            tracking_code_id=strawberry.ID(c.tracking_code),
        )  # fmt: skip


@strawberry.type
class PartnershipsTrackingQuery:
    @strawberry.field(description="A campaign's tracking codes, of one contract when given.")
    async def tracking_codes(
        self, info: Info, campaign_id: strawberry.ID, contract_id: strawberry.ID | None = None,
        first: int = 50, after: str | None = None,
    ) -> Connection[TrackingCode]:  # fmt: skip
        ctx = info.context
        request = rpc.ListTrackingCodesRequest(
            parent=str(campaign_id), contract=str(contract_id or ""),
            page_size=page_size(first), page_token=after or "",
        )  # fmt: skip
        answer = await ctx.call(ctx.clients.partnerships.ListTrackingCodes, request)
        return Connection(
            nodes=[TrackingCode.of(t) for t in answer.tracking_codes],
            page_info=page_info(answer.next_page_token),
        )

    @strawberry.field(description="A campaign's conversions, of one tracking code when given.")
    async def conversions(
        self, info: Info, campaign_id: strawberry.ID,
        tracking_code_id: strawberry.ID | None = None, first: int = 50, after: str | None = None,
    ) -> Connection[Conversion]:  # fmt: skip
        ctx = info.context
        request = rpc.ListConversionsRequest(
            parent=str(campaign_id), tracking_code=str(tracking_code_id or ""),
            page_size=page_size(first), page_token=after or "",
        )  # fmt: skip
        answer = await ctx.call(ctx.clients.partnerships.ListConversions, request)
        return Connection(
            nodes=[Conversion.of(c) for c in answer.conversions],
            page_info=page_info(answer.next_page_token),
        )


@strawberry.type
class PartnershipsTrackingMutation:
    @strawberry.mutation(description="Creates a coupon (a code is generated when none is given).")
    async def create_coupon(
        self, info: Info, contract_id: strawberry.ID, code: str = ""
    ) -> TrackingCode:
        ctx = info.context
        request = rpc.CreateTrackingCodeRequest(
            parent=str(contract_id).split("/contracts/")[0],
            tracking_code=pb.TrackingCode(
                contract=str(contract_id), kind=pb.TRACKING_CODE_KIND_COUPON, code=code
            ),
        )
        return TrackingCode.of(await ctx.call(ctx.clients.partnerships.CreateTrackingCode, request))

    @strawberry.mutation(description="Deletes a tracking code; sales already counted stay.")
    async def delete_tracking_code(self, info: Info, id: strawberry.ID) -> DeletePayload:
        ctx = info.context
        request = rpc.DeleteTrackingCodeRequest(name=str(id))
        await ctx.call(ctx.clients.partnerships.DeleteTrackingCode, request)
        return DeletePayload(deleted_id=id)
