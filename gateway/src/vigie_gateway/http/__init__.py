"""GraphQL over HTTP, done by the gateway itself: the protocol (media types, status codes),
persisted queries, cost and rate limits, and the cross-site protections."""
