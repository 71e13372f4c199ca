"""The publisher's lateness, for Prometheus (vigie_runtime.metrics): how long after its due
time a publication was confirmed by its network. Claims, rate limits, retries and the network's
own answer time all add to it; a held queue (a crisis) too."""

from vigie_runtime.metrics import pipeline_latency
from vigie_runtime.uow import UnitOfWork

from vigie_publisher.adapters.orm import PublicationRow

PUBLICATION_LATENESS = pipeline_latency(
    "vigie_publication_lateness_seconds",
    "From a publication's due time to its confirmation by the network, recorded once committed.",
)


def observe_published_after_commit(uow: UnitOfWork, rows: list[PublicationRow]) -> None:
    late = [(r.due_at, r.published_at) for r in rows if r.published_at is not None]

    def record() -> None:
        for due, published in late:
            PUBLICATION_LATENESS.observe_since("publisher", due, published)

    if late:
        uow.after_commit(record)
