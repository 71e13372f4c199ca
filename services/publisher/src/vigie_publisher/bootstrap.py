"""Composition root of the publisher: settings, plumbing, consumers, gRPC services."""

from datetime import timedelta

from vigie_directory_replica import brand_replica_subscription
from vigie_runtime.host import Plumbing, ServiceSpec
from vigie_runtime.ops_servicer import operations_registration

from vigie_publisher.adapters.credentials import CredentialVault
from vigie_publisher.adapters.network_factories import default_factories
from vigie_publisher.adapters.orm import RUNTIME_TABLES, KnownBrandRow
from vigie_publisher.adapters.stats.readers import NetworkStatsReaders, ReaderSettings
from vigie_publisher.adapters.token_refreshers import OAuthClient, refreshers
from vigie_publisher.app.common import now
from vigie_publisher.app.dispatch.refresh import TokenRefresh
from vigie_publisher.app.snapshots import Snapshotter
from vigie_publisher.app.token_health import Refresher
from vigie_publisher.config import Settings
from vigie_publisher.domain.token_health import HealthRules
from vigie_publisher.entrypoints.background.dispatch_loop import dispatch_loop
from vigie_publisher.entrypoints.background.snapshotter import snapshot_loop
from vigie_publisher.entrypoints.background.token_sweep import token_sweep
from vigie_publisher.entrypoints.grpc.servicer import PublisherServicer, registration
from vigie_publisher.entrypoints.nats.best_times import best_times_subscription
from vigie_publisher.entrypoints.nats.crises import crises_subscription
from vigie_publisher.entrypoints.nats.crisis_statements import crisis_statements_subscription
from vigie_publisher.entrypoints.nats.inbox import inbox_subscription

MIGRATIONS = "vigie_publisher:migrations"


def health_rules(settings: Settings) -> HealthRules:
    return HealthRules(
        warn_before=timedelta(hours=settings.token_warning_hours),
        refresh_before=timedelta(hours=settings.token_refresh_ahead_hours),
    )


def token_refreshers(settings: Settings) -> dict[str, Refresher]:
    def client(client_id: str, secret: str) -> OAuthClient | None:
        return OAuthClient(client_id, secret) if client_id else None

    return refreshers(
        x=client(settings.x_client_id, settings.x_client_secret),
        linkedin=client(settings.linkedin_client_id, settings.linkedin_client_secret),
        meta=client(settings.meta_app_id, settings.meta_app_secret),
        api_urls=settings.network_api_urls,
    )


def reader_settings(settings: Settings) -> ReaderSettings:
    return ReaderSettings(
        deadline_s=settings.snapshot_call_deadline_s,
        bluesky_appview_url=settings.bluesky_appview_url,
        bluesky_pds_url=settings.bluesky_pds_url,
        x_bearer_token=settings.x_bearer_token,
        x_api_url=settings.network_api_urls.get("x", ""),
        allow_private=settings.platform.private_outbound_allowed,
    )


def build(settings: Settings | None = None) -> ServiceSpec:
    settings = settings or Settings()
    plumbing = Plumbing("publisher", settings, RUNTIME_TABLES)
    vault = CredentialVault(settings.credential_keys)
    subscriptions = [
        brand_replica_subscription("publisher", KnownBrandRow),
        crises_subscription(),
        crisis_statements_subscription(),
        best_times_subscription(),
        inbox_subscription(),
    ]
    snapshotter = Snapshotter(
        plumbing.uow,
        vault,
        NetworkStatsReaders(reader_settings(settings)),
        concurrency=settings.snapshot_concurrency,
    )
    servicer = PublisherServicer(plumbing.uow, vault, snapshotter)
    registrations = [registration(servicer), operations_registration(plumbing, subscriptions)]
    # One refresher for the sweep and the dispatcher: an account is never refreshed twice at once.
    refresh = TokenRefresh(
        plumbing.uow, vault, token_refreshers(settings), settings.dispatch_call_deadline_s, now
    )
    sweep = token_sweep(plumbing.uow, refresh, health_rules(settings))
    factories = default_factories(
        settings.dispatch_sink_url,
        settings.network_api_urls,
        settings.dispatch_call_deadline_s,
        allow_private=settings.platform.private_outbound_allowed,
    )
    dispatch = dispatch_loop(plumbing.uow, vault, settings, factories, refresh)
    snapshots = snapshot_loop(snapshotter, settings.snapshot_interval)
    return ServiceSpec(
        "publisher",
        plumbing,
        MIGRATIONS,
        registrations,
        subscriptions,
        background=[lambda _js: sweep, lambda _js: dispatch, lambda _js: snapshots],
    )
