"""The listener's resource names."""

from vigie_runtime.resource_names import ResourcePattern

BRAND = ResourcePattern("brand", ("tenants", "brands"))
SUBSIDIARY = ResourcePattern("subsidiary", ("tenants", "subsidiaries"))
LISTENING_QUERY = ResourcePattern("listening_query", ("tenants", "brands", "listeningQueries"))
MENTION = ResourcePattern("mention", ("tenants", "brands", "mentions"))
SOURCE = ResourcePattern("source", ("tenants", "sources"))
PARTNER_CLIENT = ResourcePattern("partner_client", ("tenants", "partnerClients"))
