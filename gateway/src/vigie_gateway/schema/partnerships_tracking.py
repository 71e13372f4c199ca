"""A campaign's tracking codes and the conversions attributed to them, through GraphQL.
PartnershipsQuery and PartnershipsMutation inherit these fields."""

from datetime import datetime
from enum import Enum
from typing import Annotated

import strawberry
from vigie.partnerships.v1 import partnerships_pb2 as rpc
from vigie.partnerships.v1 import resources_pb2 as pb

from vigie_gateway.context import Context
from vigie_gateway.schema.common import (
    After,
    Connection,
    First,
    Node,
    ObjectInput,
    connection,
    list_options,
    moment,
    page_request,
    total,
)
from vigie_gateway.schema.partnerships_orders import ConversionOrderBy, TrackingCodeOrderBy
from vigie_gateway.schema.partnerships_types import Contract, Money
from vigie_gateway.schema.payloads import payload_mutation

Info = strawberry.Info[Context, None]


@strawberry.enum(description="A discount code, or a tracked link.")
class TrackingCodeKind(Enum):
    COUPON = strawberry.enum_value(
        pb.TRACKING_CODE_KIND_COUPON, description="A discount code typed at checkout."
    )
    LINK = strawberry.enum_value(
        pb.TRACKING_CODE_KIND_LINK, description="A link with a tracking parameter."
    )


@strawberry.type(description="A code or link that attributes sales to a contract.")
class TrackingCode(Node):
    id: strawberry.ID = strawberry.field(
        description="Global id: "
        "tenants/{tenant}/campaigns/{campaign}/trackingCodes/{tracking_code}."
    )
    code: str = strawberry.field(
        description='The code itself, unique per tenant, e.g. "LUMIERE-ALICE10".'
    )
    kind: TrackingCodeKind = strawberry.field(description="Which kind it is.")
    contract_id: strawberry.ID = strawberry.field(
        description="A global id: tenants/{tenant}/campaigns/{campaign}/contracts/{contract}."
    )
    destination_url: str = strawberry.field(
        description="For TRACKING_CODE_KIND_LINK: where it leads."
    )

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
class Conversion(Node):
    id: strawberry.ID = strawberry.field(
        description="Global id: tenants/{tenant}/campaigns/{campaign}/conversions/{conversion}."
    )
    code: str = strawberry.field(description="The tracking code's text, as seen at checkout.")
    order_id: str = strawberry.field(
        description="The shop's order id; reporting it twice is harmless."
    )
    revenue: Money = strawberry.field(description="The sale's amount.")
    occurred_at: datetime = strawberry.field(description="When the sale happened (UTC).")
    tracking_code_id: strawberry.ID = strawberry.field(
        description="Output only: the tracking code it was attributed to (resource name)."
    )

    @classmethod
    def of(cls, c: pb.Conversion) -> "Conversion":
        return cls(
            id=strawberry.ID(c.name), code=c.code, order_id=c.order_id,
            revenue=Money.of(c.revenue), occurred_at=moment(c.occur_time),
            tracking_code_id=strawberry.ID(c.tracking_code),
        )  # fmt: skip


@strawberry.input(description="Which of the campaign's tracking codes to list.")
class TrackingCodeFilter:
    contract_id: strawberry.ID | None = strawberry.field(
        default=None, description="Only this contract's (global id)."
    )


@strawberry.input(description="Which of the campaign's conversions to list.")
class ConversionFilter:
    tracking_code_id: strawberry.ID | None = strawberry.field(
        default=None, description="Only this tracking code's (global id)."
    )


@strawberry.type
class PartnershipsTrackingQuery:
    @strawberry.field(description="A campaign's tracking codes, of one contract when given.")
    async def tracking_codes(
        self,
        info: Info,
        campaign_id: Annotated[
            strawberry.ID, strawberry.argument(description="The campaign's global id.")
        ],
        first: First = 50,
        after: After = None,
        filter: Annotated[
            TrackingCodeFilter | None, strawberry.argument(description="Only the items that match.")
        ] = None,
        order_by: TrackingCodeOrderBy = None,
    ) -> Connection[TrackingCode]:
        given = filter or TrackingCodeFilter()
        ctx = info.context
        page = page_request(first, after)
        request = rpc.ListTrackingCodesRequest(
            parent=str(campaign_id), contract=str(given.contract_id or ""),
            page_size=page.size, page_token=page.token, **list_options(info, order_by),
        )  # fmt: skip
        answer = await ctx.call(ctx.clients.partnerships.ListTrackingCodes, request)
        return connection(
            [TrackingCode.of(t) for t in answer.tracking_codes],
            answer.next_page_token,
            page,
            total(info, answer),
        )

    @strawberry.field(description="A campaign's conversions, of one tracking code when given.")
    async def conversions(
        self,
        info: Info,
        campaign_id: Annotated[
            strawberry.ID, strawberry.argument(description="The campaign's global id.")
        ],
        first: First = 50,
        after: After = None,
        filter: Annotated[
            ConversionFilter | None, strawberry.argument(description="Only the items that match.")
        ] = None,
        order_by: ConversionOrderBy = None,
    ) -> Connection[Conversion]:
        given = filter or ConversionFilter()
        ctx = info.context
        page = page_request(first, after)
        request = rpc.ListConversionsRequest(
            parent=str(campaign_id), tracking_code=str(given.tracking_code_id or ""),
            page_size=page.size, page_token=page.token, **list_options(info, order_by),
        )  # fmt: skip
        answer = await ctx.call(ctx.clients.partnerships.ListConversions, request)
        return connection(
            [Conversion.of(c) for c in answer.conversions],
            answer.next_page_token,
            page,
            total(info, answer),
        )


@strawberry.input(description="What `createCoupon` needs.")
class CreateCouponInput:
    contract_id: strawberry.ID = strawberry.field(description="The contract's global id.")
    code: str = strawberry.field(
        default="", description="A stable UPPER_SNAKE code a UI can switch on."
    )
    request_id: str | None = strawberry.field(
        default=None, description="Makes retries safe: the same id returns the same coupon."
    )


@strawberry.input(description="The trackingCode to delete.")
class DeleteTrackingCodeInput(ObjectInput):
    pass


@strawberry.type
class PartnershipsTrackingMutation:
    @payload_mutation(
        tracking_code=TrackingCode,
        description="Creates a coupon (a code is generated when none is given).",
    )
    async def create_coupon(self, info: Info, input: CreateCouponInput) -> TrackingCode:
        ctx = info.context
        request = rpc.CreateTrackingCodeRequest(
            parent=str(input.contract_id).split("/contracts/")[0],
            tracking_code=pb.TrackingCode(
                contract=str(input.contract_id), kind=pb.TRACKING_CODE_KIND_COUPON, code=input.code
            ),
            request_id=input.request_id or "",
        )
        return TrackingCode.of(await ctx.call(ctx.clients.partnerships.CreateTrackingCode, request))

    @payload_mutation(
        deleted_id=strawberry.ID, description="Deletes a tracking code; sales already counted stay."
    )
    async def delete_tracking_code(
        self, info: Info, input: DeleteTrackingCodeInput
    ) -> strawberry.ID:
        ctx = info.context
        request = rpc.DeleteTrackingCodeRequest(name=str(input.id))
        await ctx.call(ctx.clients.partnerships.DeleteTrackingCode, request)
        return input.id
