"""Composition root of the reputation: settings, plumbing, consumers, loops, gRPC services."""

from datetime import timedelta

from vigie_directory_replica import brand_replica_subscription, subsidiary_replica_subscription
from vigie_runtime.host import Plumbing, ServiceSpec
from vigie_runtime.ops_servicer import operations_registration

from vigie_reputation.adapters.orm import RUNTIME_TABLES, KnownBrandRow, KnownSubsidiaryRow
from vigie_reputation.app.scorer import Scorer
from vigie_reputation.config import Settings
from vigie_reputation.domain.best_times import BestTimeParams
from vigie_reputation.entrypoints.background import (
    crisis_clock,
    crisis_notifier,
    webhook_dispatcher,
)
from vigie_reputation.entrypoints.best_time_clock import best_time_clock
from vigie_reputation.entrypoints.group_import import group_exchange
from vigie_reputation.entrypoints.grpc.crisis_response_servicer import (
    CrisisResponseServicer,
    crisis_response_registration,
)
from vigie_reputation.entrypoints.grpc.presence_servicer import (
    PresenceServicer,
    presence_registration,
)
from vigie_reputation.entrypoints.grpc.reports_servicer import ReportServicer, report_registration
from vigie_reputation.entrypoints.grpc.servicer import ReputationServicer, registration
from vigie_reputation.entrypoints.nats.best_time_snapshots import best_time_snapshots_subscription
from vigie_reputation.entrypoints.nats.campaigns import campaign_results_subscription
from vigie_reputation.entrypoints.nats.crisis_room_events import crisis_room_subscription
from vigie_reputation.entrypoints.nats.mentions import mentions_subscription
from vigie_reputation.entrypoints.nats.region_export import (
    campaign_export_subscription,
    region_export_subscription,
)
from vigie_reputation.entrypoints.nats.snapshots import presence_subscription
from vigie_reputation.entrypoints.report_worker import report_worker

MIGRATIONS = "vigie_reputation:migrations"


def build(settings: Settings | None = None) -> ServiceSpec:
    settings = settings or Settings()
    plumbing = Plumbing("reputation", settings, RUNTIME_TABLES)
    scorer = Scorer.named(settings.sentiment_model)
    subscriptions = [
        brand_replica_subscription("reputation", KnownBrandRow),
        subsidiary_replica_subscription("reputation", KnownSubsidiaryRow),
        mentions_subscription(scorer, settings.crisis_params()),
        campaign_results_subscription(),
        best_time_snapshots_subscription(BestTimeParams()),
        presence_subscription(timedelta(days=settings.presence_raw_retention_days)),
        crisis_room_subscription(),
    ]
    if settings.in_a_group:
        subscriptions.append(region_export_subscription(settings.platform.data_region))
        subscriptions.append(campaign_export_subscription())
    servicer = ReputationServicer(plumbing.uow, settings.webhook_secret_box())
    registrations = [registration(servicer), operations_registration(plumbing, subscriptions)]
    registrations.append(report_registration(ReportServicer(plumbing.uow)))
    registrations.append(presence_registration(PresenceServicer(plumbing.uow)))
    registrations.append(crisis_response_registration(CrisisResponseServicer(plumbing.uow)))
    background = [crisis_clock(plumbing.uow, settings), webhook_dispatcher(plumbing.uow, settings)]
    background.append(report_worker(plumbing.uow))
    background.append(crisis_notifier(plumbing.uow, settings))
    background.append(best_time_clock(plumbing.uow, BestTimeParams()))
    if settings.in_a_group:
        background.append(group_exchange(plumbing.uow, settings))
    return ServiceSpec("reputation", plumbing, MIGRATIONS, registrations, subscriptions, background)
