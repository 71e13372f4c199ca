"""A crisis opened on a brand holds the brand's queue at once: nothing of it goes out until a
social media manager releases it. (Every subsidiary holds; an opt-out policy is not built.)"""

from vigie_runtime.uow import UnitOfWork

from vigie_publisher.app import queues


async def crisis_opened(
    uow: UnitOfWork, tenant: str, brand_id: str, subsidiary: str, crisis: str, signal: str
) -> None:
    reason = f"crisis opened ({signal})" if signal else "crisis opened"
    await queues.hold(uow, tenant, brand_id, subsidiary, crisis, reason)
