"""Composition root of the listener: settings, plumbing, consumers, gRPC services."""

from collections.abc import Callable

from nats.js import JetStreamContext
from vigie_directory_replica import brand_replica_subscription
from vigie_runtime.host import Loop, Plumbing, ServiceSpec
from vigie_runtime.ops_servicer import operations_registration

from vigie_listener.adapters.language_detector import LanguageDetector
from vigie_listener.adapters.orm import RUNTIME_TABLES, KnownBrandRow
from vigie_listener.app.capture import Capture
from vigie_listener.app.inbox_breaches import BreachWatch
from vigie_listener.app.ingest import Ingest
from vigie_listener.app.live_matcher import LiveMatcher
from vigie_listener.app.source_progress import SourceProgress
from vigie_listener.config import Settings
from vigie_listener.entrypoints.connectors.supervisor import Supervisor
from vigie_listener.entrypoints.grpc.inbox import InboxServicer, inbox_registration
from vigie_listener.entrypoints.grpc.servicer import ListenerServicer, registration
from vigie_listener.entrypoints.nats.inbox import inbox_subscriptions
from vigie_listener.entrypoints.nats.published_posts import published_posts_subscription

MIGRATIONS = "vigie_listener:migrations"


def build(settings: Settings | None = None) -> ServiceSpec:
    settings = settings or Settings()
    plumbing = Plumbing("listener", settings, RUNTIME_TABLES)
    subscriptions = [
        brand_replica_subscription("listener", KnownBrandRow),
        published_posts_subscription(),
        *inbox_subscriptions(settings.inbox_high_reach_followers),
    ]
    detector = LanguageDetector(settings.languages)
    capture = Capture(LiveMatcher(), detector, settings.max_text_length)
    ingest = Ingest(
        plumbing.uow, capture, settings.partner_quota_per_minute, settings.max_text_length
    )
    servicer = ListenerServicer(plumbing.uow, detector, ingest)
    registrations = [
        registration(servicer),
        inbox_registration(InboxServicer(plumbing.uow)),
        operations_registration(plumbing, subscriptions),
    ]
    progress = SourceProgress(plumbing.uow, capture, settings.platform.private_outbound_allowed)
    supervisor = Supervisor(plumbing.uow, progress)
    breaches = BreachWatch(plumbing.uow, settings.inbox_breach_interval_seconds)
    background: list[Callable[[JetStreamContext], Loop]] = [
        lambda _js: supervisor.run,
        lambda _js: breaches.run,
    ]
    return ServiceSpec("listener", plumbing, MIGRATIONS, registrations, subscriptions, background)
