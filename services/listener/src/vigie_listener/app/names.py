"""The listener's resource names."""

from vigie_runtime.resource_names import ResourcePattern

BRAND = ResourcePattern("brand", ("tenants", "brands"))
SUBSIDIARY = ResourcePattern("subsidiary", ("tenants", "subsidiaries"))
LISTENING_QUERY = ResourcePattern("listening_query", ("tenants", "brands", "listeningQueries"))
MENTION = ResourcePattern("mention", ("tenants", "brands", "mentions"))
SOURCE = ResourcePattern("source", ("tenants", "sources"))
PARTNER_CLIENT = ResourcePattern("partner_client", ("tenants", "partnerClients"))
INBOX_ITEM = ResourcePattern("inbox_item", ("tenants", "brands", "inboxItems"))
INBOX_NOTE = ResourcePattern("inbox_note", ("tenants", "brands", "inboxItems", "notes"))
MEMBER = ResourcePattern("member", ("tenants", "members"))
RESPONSE_TARGETS_SUFFIX = "/responseTargets"
