"""GetBestTimes: an owned account's best slots, for the brand's readers."""

from vigie.reputation.v1 import resources_pb2 as pb
from vigie_runtime.errors import InvalidArgument, NotFound
from vigie_runtime.principal import current_principal
from vigie_runtime.resource_names import ResourcePattern
from vigie_runtime.uow import UnitOfWork

from vigie_reputation.adapters.orm import BestTimesRow
from vigie_reputation.app import access
from vigie_reputation.app.best_time_views import SUFFIX, best_times
from vigie_reputation.domain.best_times import SLOTS_PER_WEEK, BestTimeParams

SOCIAL_ACCOUNT = ResourcePattern("social_account", ("tenants", "brands", "socialAccounts"))
DEFAULT_SLOTS = 10


async def get_best_times(
    uow: UnitOfWork, name: str, page_size: int, params: BestTimeParams
) -> pb.BestTimes:
    who = current_principal()
    if not name.endswith(SUFFIX):
        raise InvalidArgument(
            "name", "expected tenants/{t}/brands/{b}/socialAccounts/{a}/bestTimes"
        )
    account = name.removesuffix(SUFFIX)
    _, brand_id, account_id = SOCIAL_ACCOUNT.parse_in_tenant(account, who.tenant, "name")
    if not 0 <= page_size <= SLOTS_PER_WEEK:
        raise InvalidArgument(
            "page_size", f"between 0 and {SLOTS_PER_WEEK} slots", "PAGE_SIZE_OUT_OF_RANGE"
        )
    await access.require_on_brand(uow, who, brand_id)
    row = await uow.session.get(BestTimesRow, (who.tenant, brand_id, account_id))
    if row is None:
        # Never snapshotted by the publisher, or not an owned account of this brand.
        raise NotFound("social_account", account)
    return best_times(row, page_size or DEFAULT_SLOTS, params)
