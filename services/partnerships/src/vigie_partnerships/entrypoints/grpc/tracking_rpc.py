"""Tracking codes and conversions over gRPC."""

from google.protobuf.empty_pb2 import Empty
from vigie.partnerships.v1 import partnerships_pb2 as rpc
from vigie.partnerships.v1 import resources_pb2 as pb
from vigie_runtime.principal import current_principal

from vigie_partnerships.adapters.orm import ConversionRow, TrackingCodeRow
from vigie_partnerships.app import single_reads, tracking, tracking_reads
from vigie_partnerships.app.names import CAMPAIGN, CONTRACT, TRACKING_CODE
from vigie_partnerships.app.views import stamp
from vigie_partnerships.entrypoints.grpc.base import Base, Context

_KIND_TO_PROTO = {"coupon": pb.TRACKING_CODE_KIND_COUPON, "link": pb.TRACKING_CODE_KIND_LINK}


def tracking_code(row: TrackingCodeRow) -> pb.TrackingCode:
    return pb.TrackingCode(
        name=TRACKING_CODE.format(row.tenant, row.campaign_id, row.id),
        code=row.code,
        kind=_KIND_TO_PROTO[row.kind],
        contract=CONTRACT.format(row.tenant, row.campaign_id, row.contract_id),
        destination_url=row.destination_url,
        create_time=stamp(row.created_at),
    )


def conversion(row: ConversionRow) -> pb.Conversion:
    return pb.Conversion(
        name=f"{CAMPAIGN.format(row.tenant, row.campaign_id)}/conversions/{row.id}",
        code=row.code,
        order_id=row.order_id,
        revenue=pb.Money(amount=row.revenue_amount, currency_code=row.currency),
        occur_time=stamp(row.occur_at),
        report_time=stamp(row.report_at),
        tracking_code=TRACKING_CODE.format(row.tenant, row.campaign_id, row.tracking_code_id),
    )


class TrackingMethods(Base):
    async def CreateTrackingCode(
        self, request: rpc.CreateTrackingCodeRequest, context: Context
    ) -> pb.TrackingCode:
        who = current_principal()
        row = await self._write(
            lambda u: tracking.create_code(
                u, who, request.parent, request.tracking_code, request.request_id
            )
        )
        return tracking_code(row)

    async def ReportConversions(
        self, request: rpc.ReportConversionsRequest, context: Context
    ) -> rpc.ReportConversionsResponse:
        who = current_principal()
        result = await self._write(
            lambda u: tracking.report(u, who, request.parent, request.conversions)
        )
        return rpc.ReportConversionsResponse(
            accepted_count=result.accepted,
            duplicate_count=result.duplicates,
            refusals=[
                rpc.ConversionRefusal(order_id=o, reason=r, message=m)
                for o, r, m in result.refusals
            ],
        )

    async def GetTrackingCode(
        self, request: rpc.GetTrackingCodeRequest, context: Context
    ) -> pb.TrackingCode:
        who = current_principal()
        return tracking_code(
            await self._read(lambda u: tracking_reads.get_code(u, who, request.name))
        )

    async def ListTrackingCodes(
        self, request: rpc.ListTrackingCodesRequest, context: Context
    ) -> rpc.ListTrackingCodesResponse:
        who = current_principal()
        listed = await self._read(
            lambda u: tracking_reads.list_codes(u, who, request.parent, request.contract, request)
        )
        return rpc.ListTrackingCodesResponse(
            tracking_codes=[tracking_code(r) for r in listed.rows],
            next_page_token=listed.next_page_token,
            total_size=listed.total_size,
        )

    async def DeleteTrackingCode(
        self, request: rpc.DeleteTrackingCodeRequest, context: Context
    ) -> Empty:
        who = current_principal()
        await self._write(lambda u: tracking_reads.delete_code(u, who, request.name))
        return Empty()

    async def GetConversion(
        self, request: rpc.GetConversionRequest, context: Context
    ) -> pb.Conversion:
        who = current_principal()
        return conversion(
            await self._read(lambda u: single_reads.get_conversion(u, who, request.name))
        )

    async def ListConversions(
        self, request: rpc.ListConversionsRequest, context: Context
    ) -> rpc.ListConversionsResponse:
        who = current_principal()
        listed = await self._read(
            lambda u: tracking_reads.list_conversions(
                u, who, request.parent, request.tracking_code, request
            )
        )
        return rpc.ListConversionsResponse(
            conversions=[conversion(r) for r in listed.rows],
            next_page_token=listed.next_page_token,
            total_size=listed.total_size,
        )
