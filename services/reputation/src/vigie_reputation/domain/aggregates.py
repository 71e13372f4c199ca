"""What of a crisis or a campaign may leave its data region: figures, never the people in it."""

from vigie.partnerships.v1 import events_pb2 as partnerships_events
from vigie.reputation.v1 import resources_pb2 as pb


def crisis_without_people(crisis: pb.Crisis) -> pb.Crisis:
    """The crisis with an explanation reduced to its signal, baseline, observed peak and start:
    its top mentions, authors, languages and sources, and its summary (which may quote them),
    stay in the region."""
    kept = pb.Crisis()
    kept.CopyFrom(crisis)
    explanation = crisis.explanation
    kept.explanation.Clear()
    kept.explanation.signal = explanation.signal
    kept.explanation.baseline = explanation.baseline
    kept.explanation.observed = explanation.observed
    if explanation.HasField("since_time"):
        kept.explanation.since_time.CopyFrom(explanation.since_time)
    return kept


def campaign_without_people(
    updated: partnerships_events.CampaignResultsUpdated,
) -> partnerships_events.CampaignResultsUpdated:
    """The campaign's totals; its per-contract lines (each names a creator) stay in the region."""
    kept = partnerships_events.CampaignResultsUpdated()
    kept.CopyFrom(updated)
    del kept.results.contracts[:]
    return kept
