"""Composition root of the partnerships: settings, plumbing, consumers, gRPC services."""

from vigie_directory_replica import brand_replica_subscription
from vigie_runtime.host import Plumbing, ServiceSpec
from vigie_runtime.ops_servicer import operations_registration

from vigie_partnerships.adapters.orm import RUNTIME_TABLES, KnownBrandRow
from vigie_partnerships.config import Settings
from vigie_partnerships.domain.results import EmvRate, EmvRates
from vigie_partnerships.entrypoints.background import deliverables_clock
from vigie_partnerships.entrypoints.grpc.servicer import PartnershipsServicer, registration
from vigie_partnerships.entrypoints.nats.mentions import (
    mentions_subscription,
    sentiments_subscription,
)


def emv_rates(settings: Settings) -> EmvRates:
    return {
        (network, currency): EmvRate(cpm, per_engagement)
        for network, by_currency in settings.emv_rates.items()
        for currency, (cpm, per_engagement) in by_currency.items()
    }


MIGRATIONS = "vigie_partnerships:migrations"


def build(settings: Settings | None = None) -> ServiceSpec:
    settings = settings or Settings()
    plumbing = Plumbing("partnerships", settings, RUNTIME_TABLES)
    subscriptions = [
        brand_replica_subscription("partnerships", KnownBrandRow),
        mentions_subscription(settings.discovery_min_followers),
        sentiments_subscription(),
    ]
    servicer = PartnershipsServicer(plumbing.uow, emv_rates(settings))
    registrations = [registration(servicer), operations_registration(plumbing, subscriptions)]
    background = [deliverables_clock(plumbing.uow, settings.deliverables_clock_seconds)]
    return ServiceSpec(
        "partnerships", plumbing, MIGRATIONS, registrations, subscriptions, background
    )
