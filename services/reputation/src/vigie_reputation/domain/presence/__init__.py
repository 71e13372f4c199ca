"""Presence measures (pure): windows and buckets in a subsidiary's time zone, audience, posting,
engagement, reach, share of engagement and response time. Definitions: docs/ANALYTICS.md."""
