"""Composition root of the publisher: settings, plumbing, consumers, gRPC services."""

from vigie_runtime.host import Plumbing, ServiceSpec
from vigie_runtime.ops_servicer import operations_registration

from vigie_publisher.adapters.orm import RUNTIME_TABLES
from vigie_publisher.config import Settings
from vigie_publisher.entrypoints.grpc.servicer import PublisherServicer, registration
from vigie_publisher.entrypoints.nats.consumers import brands_subscription

MIGRATIONS = "vigie_publisher:migrations"


def build(settings: Settings | None = None) -> ServiceSpec:
    settings = settings or Settings()
    plumbing = Plumbing("publisher", settings, RUNTIME_TABLES)
    subscriptions = [brands_subscription()]
    # Abstract for mypy until every RPC is written; the missing ones answer UNIMPLEMENTED.
    servicer = PublisherServicer(plumbing.uow)  # type: ignore[abstract]
    registrations = [registration(servicer), operations_registration(plumbing, subscriptions)]
    return ServiceSpec("publisher", plumbing, MIGRATIONS, registrations, subscriptions)
