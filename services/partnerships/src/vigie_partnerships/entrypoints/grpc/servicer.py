"""PartnershipsService over gRPC: request -> handler (which owns the transaction) -> response.

One class per part of the service, composed here.
"""

from vigie.partnerships.v1 import partnerships_pb2_grpc
from vigie_runtime.grpc_server import ServiceRegistration

from vigie_partnerships.entrypoints.grpc.campaign_edits_rpc import CampaignEditMethods
from vigie_partnerships.entrypoints.grpc.campaigns_rpc import CampaignMethods
from vigie_partnerships.entrypoints.grpc.creators_rpc import CreatorMethods
from vigie_partnerships.entrypoints.grpc.reference_rpc import ReferenceMethods
from vigie_partnerships.entrypoints.grpc.tracking_rpc import TrackingMethods

SERVICE_NAME = "vigie.partnerships.v1.PartnershipsService"


class PartnershipsServicer(
    CreatorMethods, CampaignMethods, CampaignEditMethods, TrackingMethods, ReferenceMethods
):
    pass


def registration(servicer: PartnershipsServicer) -> ServiceRegistration:
    return ServiceRegistration(
        SERVICE_NAME,
        lambda server: partnerships_pb2_grpc.add_PartnershipsServiceServicer_to_server(
            servicer, server
        ),
    )
