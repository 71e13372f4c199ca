"""SnapshotAccount's account, found and checked: a manager's, of the caller's tenant."""

from vigie_runtime.errors import FailedPrecondition, InvalidArgument
from vigie_runtime.principal import Principal
from vigie_runtime.uow import UnitOfWork

from vigie_publisher.app import accounts, tracked_accounts
from vigie_publisher.app.accounts import MANAGERS
from vigie_publisher.app.snapshot_targets import Target, target_of


async def target_named(uow: UnitOfWork, who: Principal, name: str) -> Target:
    if "/socialAccounts/" in name:
        owned = await accounts.get(uow, who, name)
        who.require(MANAGERS, accounts.subsidiary_of(owned))
        if not owned.sealed_credentials:
            raise FailedPrecondition("ACCOUNT_NOT_CONNECTED", f"{name} has no credentials")
        return target_of(owned)
    if "/trackedAccounts/" in name:
        tracked = await tracked_accounts.get(uow, who, name)
        who.require(MANAGERS, accounts.subsidiary_of(tracked))
        return target_of(tracked)
    raise InvalidArgument("account", "expected .../socialAccounts/{id} or .../trackedAccounts/{id}")
