"""The demo organization `vigie up` seeds: two subsidiaries in different countries and time
zones, three brands, and a user for each role (all with the password `vigie-demo`)."""

import os
import subprocess
import sys

import grpc
from vigie.directory.v1 import directory_pb2 as rpc
from vigie.directory.v1 import directory_pb2_grpc
from vigie.directory.v1 import resources_pb2 as pb

DEMO_EMAIL = "demo@vigie.dev"
DEMO_PASSWORD = "vigie-demo"

SUBSIDIARIES = [
    ("Vigie France", "FR", "fr-FR", "Europe/Paris", "eu"),
    ("Vigie Brasil", "BR", "pt-BR", "America/Sao_Paulo", "americas"),
]
PEOPLE = [
    ("smm.fr@vigie.dev", "Camille (SMM France)", pb.ROLE_SOCIAL_MEDIA_MANAGER, 0),
    ("cm.fr@vigie.dev", "Léa (CM France)", pb.ROLE_COMMUNITY_MANAGER, 0),
    ("smm.br@vigie.dev", "João (SMM Brasil)", pb.ROLE_SOCIAL_MEDIA_MANAGER, 1),
    ("analyst@vigie.dev", "Sam (analyst, group-wide)", pb.ROLE_ANALYST, None),
    ("partner@vigie.dev", "Agence Lumière (partner)", pb.ROLE_PARTNER, 0),
]


def _login(stub: directory_pb2_grpc.DirectoryServiceStub) -> str | None:
    try:
        return str(
            stub.Login(rpc.LoginRequest(email=DEMO_EMAIL, password=DEMO_PASSWORD), timeout=10).token
        )
    except grpc.RpcError:
        return None


def seed(directory_port: int, directory_env: dict[str, str]) -> dict[str, str]:
    """Seeds once (a second `vigie up` finds the demo admin, changes nothing and returns {})."""
    with grpc.insecure_channel(f"127.0.0.1:{directory_port}") as channel:
        stub = directory_pb2_grpc.DirectoryServiceStub(channel)
        if _login(stub):
            return {}
        command = [sys.executable, "-m", "vigie_directory", "create-organization"]
        command += ["--name", "Vigie Demo Group", "--admin-email", DEMO_EMAIL]
        command += ["--admin-password", DEMO_PASSWORD]
        env = {**os.environ, **directory_env}
        subprocess.run(command, env=env, check=True, capture_output=True)  # noqa: S603 - ours
        token = _login(stub)
        assert token, "the demo admin cannot log in"
        auth = (("authorization", f"Bearer {token}"),)
        tenant = stub.GetCurrentMember(rpc.GetCurrentMemberRequest(), metadata=auth).name.rsplit(
            "/members/", 1
        )[0]
        subsidiaries = [
            stub.CreateSubsidiary(
                rpc.CreateSubsidiaryRequest(
                    parent=tenant,
                    request_id=f"demo-subsidiary-{index}",
                    subsidiary=pb.Subsidiary(
                        display_name=name,
                        country=country,
                        locale=locale,
                        time_zone=zone,
                        data_region=region,
                    ),
                ),
                metadata=auth,
            ).name
            for index, (name, country, locale, zone, region) in enumerate(SUBSIDIARIES)
        ]
        rival = _brand(
            stub, auth, tenant, subsidiaries[0], "Rival & Co", pb.BRAND_KIND_COMPETITOR, [], []
        )
        lumiere = _brand(
            stub,
            auth,
            tenant,
            subsidiaries[0],
            "Lumière",
            pb.BRAND_KIND_OWN,
            ["Lumiere", "Café Lumière"],
            [rival],
        )
        _brand(
            stub, auth, tenant, subsidiaries[1], "Aurora", pb.BRAND_KIND_OWN, ["Aurora Brasil"], []
        )
        # The agency listens for Lumière and for its competitor (share of voice needs both).
        agency_brands = [lumiere, rival]
        for email, display, role, where in PEOPLE:
            stub.CreateMember(
                rpc.CreateMemberRequest(
                    parent=tenant,
                    request_id=f"demo-{email}",
                    password=DEMO_PASSWORD,
                    member=pb.Member(
                        email=email,
                        display_name=display,
                        roles=[
                            pb.RoleGrant(
                                role=role,
                                subsidiary=subsidiaries[where] if where is not None else "",
                            )
                        ],
                    ),
                ),
                metadata=auth,
            )
        client = stub.CreatePartnerClient(
            rpc.CreatePartnerClientRequest(
                parent=tenant,
                request_id="demo-partner-client",
                partner_client=pb.PartnerClient(
                    display_name="Agence Lumière",
                    brands=agency_brands,
                    scopes=["mentions.ingest", "mentions.read"],
                ),
            ),
            metadata=auth,
        )
        return {
            "tenant": tenant,
            "partner_client": client.partner_client.name,
            "partner_client_id": client.partner_client.client_id,
            "partner_client_secret": client.client_secret,
        }


def _brand(
    stub: directory_pb2_grpc.DirectoryServiceStub,
    auth: tuple[tuple[str, str], ...],
    tenant: str,
    subsidiary: str,
    name: str,
    kind: "pb.BrandKind.ValueType",
    aliases: list[str],
    competitors: list[str],
) -> str:
    return str(
        stub.CreateBrand(
            rpc.CreateBrandRequest(
                parent=tenant,
                request_id=f"demo-brand-{name}",
                brand=pb.Brand(
                    subsidiary=subsidiary,
                    display_name=name,
                    kind=kind,
                    aliases=aliases,
                    competitors=competitors,
                ),
            ),
            metadata=auth,
        ).name
    )
