"""Resource names of the publisher's resources."""

from vigie_runtime.resource_names import ResourcePattern

BRAND = ResourcePattern("brand", ("tenants", "brands"))
SUBSIDIARY = ResourcePattern("subsidiary", ("tenants", "subsidiaries"))
SOCIAL_ACCOUNT = ResourcePattern("social_account", ("tenants", "brands", "socialAccounts"))
POST = ResourcePattern("post", ("tenants", "brands", "posts"))
MEMBER = ResourcePattern("member", ("tenants", "members"))
PUBLICATION = ResourcePattern("publication", ("tenants", "brands", "posts", "publications"))
APPROVAL_POLICY = ResourcePattern("approval_policy", ("tenants", "approvalPolicies"))
TRACKED_ACCOUNT = ResourcePattern("tracked_account", ("tenants", "brands", "trackedAccounts"))
SAVED_REPLY = ResourcePattern("saved_reply", ("tenants", "brands", "savedReplies"))
REPLY = ResourcePattern("reply", ("tenants", "brands", "replies"))
MENTION = ResourcePattern("mention", ("tenants", "brands", "mentions"))
INBOX_ITEM = ResourcePattern("inbox_item", ("tenants", "brands", "inboxItems"))
