"""Resource names of the partnerships."""

from vigie_runtime.errors import InvalidArgument
from vigie_runtime.resource_names import ResourcePattern

CREATOR = ResourcePattern("creator", ("tenants", "creators"))
SNAPSHOT = ResourcePattern("snapshot", ("tenants", "creators", "snapshots"))
BRAND = ResourcePattern("brand", ("tenants", "brands"))
CAMPAIGN = ResourcePattern("campaign", ("tenants", "campaigns"))
CONTRACT = ResourcePattern("contract", ("tenants", "campaigns", "contracts"))
TRACKING_CODE = ResourcePattern("tracking_code", ("tenants", "campaigns", "trackingCodes"))
FX_RATE = ResourcePattern("fx_rate", ("tenants", "fxRates"))
CONVERSION = ResourcePattern("conversion", ("tenants", "campaigns", "conversions"))
DELIVERABLE = ResourcePattern("deliverable", ("tenants", "campaigns", "contracts", "deliverables"))


def vetting_creator(name: str, tenant: str) -> str:
    """The creator id of `tenants/{t}/creators/{c}/vetting`."""
    if not name.endswith("/vetting"):
        raise InvalidArgument("name", "expected tenants/{tenant}/creators/{creator}/vetting")
    return CREATOR.parse_in_tenant(name.removesuffix("/vetting"), tenant)[1]


def safety_keywords_brand(name: str, tenant: str) -> str:
    """The brand id of `tenants/{t}/brands/{b}/safetyKeywords`."""
    if not name.endswith("/safetyKeywords"):
        raise InvalidArgument("name", "expected tenants/{tenant}/brands/{brand}/safetyKeywords")
    return BRAND.parse_in_tenant(name.removesuffix("/safetyKeywords"), tenant)[1]


def safety_keywords_name(tenant: str, brand_id: str) -> str:
    return BRAND.format(tenant, brand_id) + "/safetyKeywords"
