"""The dispatcher as a worker loop, built from the settings."""

from collections.abc import Callable, Mapping
from datetime import timedelta

from vigie_runtime.database import is_sqlite
from vigie_runtime.host import Loop
from vigie_runtime.uow import UnitOfWork

from vigie_publisher.adapters.adapter_pool import AdapterFactory, AdapterPool
from vigie_publisher.adapters.credentials import CredentialVault
from vigie_publisher.adapters.faults import Faults
from vigie_publisher.app.dispatch.dispatcher import Dispatcher, DispatchSettings
from vigie_publisher.app.dispatch.refresh import TokenRefresh
from vigie_publisher.config import Settings


def dispatch_settings(settings: Settings) -> DispatchSettings:
    return DispatchSettings(
        batch=settings.dispatch_batch,
        concurrency=settings.dispatch_concurrency,
        lease=timedelta(seconds=settings.dispatch_lease_s),
        call_deadline_s=settings.dispatch_call_deadline_s,
        poll_s=settings.dispatch_poll_s,
        account_rate_per_s=settings.dispatch_account_rate_per_s,
        account_burst=settings.dispatch_account_burst,
    )


def dispatch_loop(
    uow: Callable[[], UnitOfWork],
    vault: CredentialVault,
    settings: Settings,
    factories: Mapping[str, AdapterFactory],
    refresh: TokenRefresh | None = None,
) -> Loop:
    dispatcher = Dispatcher(
        uow,
        AdapterPool(vault, factories),
        dispatch_settings(settings),
        skip_locked=not is_sqlite(settings.database_url),
        faults=Faults(settings.fault_kill_at),
        refresh=refresh,
    )
    return dispatcher.run
