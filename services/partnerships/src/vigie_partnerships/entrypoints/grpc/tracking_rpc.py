"""Tracking codes and conversions over gRPC."""

from vigie.partnerships.v1 import partnerships_pb2 as rpc
from vigie.partnerships.v1 import resources_pb2 as pb
from vigie_runtime.principal import current_principal

from vigie_partnerships.adapters.orm import TrackingCodeRow
from vigie_partnerships.app import tracking
from vigie_partnerships.app.names import CONTRACT, TRACKING_CODE
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


class TrackingMethods(Base):
    async def CreateTrackingCode(
        self, request: rpc.CreateTrackingCodeRequest, context: Context
    ) -> pb.TrackingCode:
        who = current_principal()
        row = await self._write(
            lambda u: tracking.create_code(u, who, request.parent, request.tracking_code)
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
