"""Rows as the contract's messages (responses and event payloads alike)."""

from datetime import UTC, datetime

from google.protobuf.timestamp_pb2 import Timestamp
from vigie.directory.v1 import resources_pb2 as pb

from vigie_directory.adapters.orm import (
    BrandRow,
    MemberRow,
    OrganizationRow,
    PartnerClientRow,
    SubsidiaryRow,
)
from vigie_directory.app.names import BRAND, MEMBER, ORGANIZATION, PARTNER_CLIENT, SUBSIDIARY

ROLE_TO_PROTO = {
    "group_admin": pb.ROLE_GROUP_ADMIN,
    "social_media_manager": pb.ROLE_SOCIAL_MEDIA_MANAGER,
    "community_manager": pb.ROLE_COMMUNITY_MANAGER,
    "analyst": pb.ROLE_ANALYST,
    "partner": pb.ROLE_PARTNER,
}
KIND_TO_PROTO = {"own": pb.BRAND_KIND_OWN, "competitor": pb.BRAND_KIND_COMPETITOR}


def stamp(moment: datetime) -> Timestamp:
    result = Timestamp()
    result.FromDatetime(moment if moment.tzinfo else moment.replace(tzinfo=UTC))
    return result


def organization(row: OrganizationRow) -> pb.Organization:
    return pb.Organization(
        name=ORGANIZATION.format(row.id),
        display_name=row.display_name,
        create_time=stamp(row.created_at),
        update_time=stamp(row.updated_at),
    )


def subsidiary(row: SubsidiaryRow) -> pb.Subsidiary:
    return pb.Subsidiary(
        name=SUBSIDIARY.format(row.tenant, row.id),
        display_name=row.display_name,
        country=row.country,
        locale=row.locale,
        time_zone=row.time_zone,
        data_region=row.data_region,
        create_time=stamp(row.created_at),
        update_time=stamp(row.updated_at),
        etag=str(row.version),
    )


def brand(row: BrandRow) -> pb.Brand:
    return pb.Brand(
        name=BRAND.format(row.tenant, row.id),
        subsidiary=SUBSIDIARY.format(row.tenant, row.subsidiary_id),
        display_name=row.display_name,
        kind=KIND_TO_PROTO[row.kind],
        aliases=row.aliases,
        handles=[pb.SocialHandle(network=n, handle=h) for n, h in row.handles],
        competitors=[BRAND.format(row.tenant, c) for c in row.competitors],
        create_time=stamp(row.created_at),
        update_time=stamp(row.updated_at),
        etag=str(row.version),
    )


def member(row: MemberRow) -> pb.Member:
    return pb.Member(
        name=MEMBER.format(row.tenant, row.id),
        email=row.email,
        display_name=row.display_name,
        roles=[
            pb.RoleGrant(
                role=ROLE_TO_PROTO[str(grant["role"])],
                subsidiary=SUBSIDIARY.format(row.tenant, str(grant["subsidiary"]))
                if grant.get("subsidiary")
                else "",
            )
            for grant in row.roles
        ],
        create_time=stamp(row.created_at),
        update_time=stamp(row.updated_at),
        etag=str(row.version),
    )


def partner_client(row: PartnerClientRow) -> pb.PartnerClient:
    return pb.PartnerClient(
        name=PARTNER_CLIENT.format(row.tenant, row.id),
        display_name=row.display_name,
        client_id=row.client_id,
        brands=[BRAND.format(row.tenant, b) for b in row.brands],
        scopes=row.scopes,
        revoked=row.revoked_at is not None,
        create_time=stamp(row.created_at),
    )
