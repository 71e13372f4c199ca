"""A crisis copied from another data region says which region it comes from; a region's own
crisis says nothing (the group view lists both: docs/DATA_REGIONS.md)."""

from vigie.reputation.v1 import resources_pb2 as pb
from vigie_gateway.schema.reputation_types import Crisis


def crisis(region: str = "") -> pb.Crisis:
    return pb.Crisis(
        name="tenants/t1/brands/b1/crises/c1",
        brand="tenants/t1/brands/b1",
        status=pb.CRISIS_STATUS_OPENED,
        severity=pb.CRISIS_SEVERITY_HIGH,
        region=region,
    )


def test_another_regions_crisis_names_its_region() -> None:
    assert Crisis.of(crisis("us")).region == "us"


def test_a_regions_own_crisis_has_no_region() -> None:
    assert Crisis.of(crisis()).region is None
