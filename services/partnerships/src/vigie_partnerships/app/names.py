"""Resource names of the partnerships."""

from vigie_runtime.errors import InvalidArgument
from vigie_runtime.resource_names import ResourcePattern

CREATOR = ResourcePattern("creator", ("tenants", "creators"))
SNAPSHOT = ResourcePattern("snapshot", ("tenants", "creators", "snapshots"))
BRAND = ResourcePattern("brand", ("tenants", "brands"))
CAMPAIGN = ResourcePattern("campaign", ("tenants", "campaigns"))
CONTRACT = ResourcePattern("contract", ("tenants", "campaigns", "contracts"))
TRACKING_CODE = ResourcePattern("tracking_code", ("tenants", "campaigns", "trackingCodes"))
DELIVERABLE = ResourcePattern("deliverable", ("tenants", "campaigns", "contracts", "deliverables"))


def vetting_creator(name: str, tenant: str) -> str:
    """The creator id of `tenants/{t}/creators/{c}/vetting`."""
    if not name.endswith("/vetting"):
        raise InvalidArgument("name", "expected tenants/{tenant}/creators/{creator}/vetting")
    return CREATOR.parse_in_tenant(name.removesuffix("/vetting"), tenant)[1]
