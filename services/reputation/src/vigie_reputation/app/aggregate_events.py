"""The aggregates a data region lets out (vigie_runtime.regions), bound to their subjects.

Published by this region's outbox on `vigie.aggregates.{tenant}...`; the hub's group stream keeps
them as `vigie.group.{region}.{tenant}...` with the same CloudEvents headers, so the same types
parse them back in the other regions.
"""

from vigie.partnerships.v1 import events_pb2 as partnerships_events
from vigie.reputation.v1 import events_pb2
from vigie_runtime.events import EventType
from vigie_runtime.regions import AGGREGATES_PRODUCER

AGGREGATE_MEASURE_UPDATED = EventType(
    AGGREGATES_PRODUCER, "measure", "updated", events_pb2.AggregateMeasureUpdated
)
AGGREGATE_CRISIS_CHANGED = EventType(
    AGGREGATES_PRODUCER, "crisis", "changed", events_pb2.AggregateCrisisChanged
)
# A campaign's results without its contracts (creators are people), replicated for reports.
AGGREGATE_CAMPAIGN_RESULTS = EventType(
    AGGREGATES_PRODUCER,
    "campaign",
    "results_updated",
    partnerships_events.CampaignResultsUpdated,
)
