"""Every service but the directory keeps a local replica of the directory's brands (to check
that a brand exists in the caller's tenant, find its subsidiary and competitors) without ever
reading the directory's tables: the replica is fed by the directory's `brand.*` events.

A service declares its table with `KnownBrandColumns` and subscribes with
`brand_replica_subscription(service, row_class)`. Services that show figures in a subsidiary's
time zone or language keep its subsidiaries the same way (`KnownSubsidiaryColumns`,
`subsidiary_replica_subscription`).
"""

from vigie_directory_replica.columns import KnownBrandColumns, KnownSubsidiaryColumns
from vigie_directory_replica.replica import BrandFacts, forget_brand, record_brand
from vigie_directory_replica.subscription import brand_replica_subscription
from vigie_directory_replica.subsidiaries import (
    SubsidiaryFacts,
    record_subsidiary,
    subsidiary_replica_subscription,
)

__all__ = [
    "BrandFacts",
    "KnownBrandColumns",
    "KnownSubsidiaryColumns",
    "SubsidiaryFacts",
    "brand_replica_subscription",
    "forget_brand",
    "record_brand",
    "record_subsidiary",
    "subsidiary_replica_subscription",
]
