"""Resource names of the directory."""

from vigie_runtime.resource_names import ResourcePattern

ORGANIZATION = ResourcePattern("organization", ("tenants",))
SUBSIDIARY = ResourcePattern("subsidiary", ("tenants", "subsidiaries"))
BRAND = ResourcePattern("brand", ("tenants", "brands"))
MEMBER = ResourcePattern("member", ("tenants", "members"))
PARTNER_CLIENT = ResourcePattern("partner_client", ("tenants", "partnerClients"))
