"""Every service but the directory keeps a local replica of the directory's brands (to check
that a brand exists in the caller's tenant, find its subsidiary and competitors) without ever
reading the directory's tables: the replica is fed by the directory's `brand.*` events.

A service declares its table with `KnownBrandColumns` and subscribes with
`brand_replica_subscription(service, row_class)`.
"""

from vigie_directory_replica.columns import KnownBrandColumns
from vigie_directory_replica.replica import BrandFacts, forget_brand, record_brand
from vigie_directory_replica.subscription import brand_replica_subscription

__all__ = [
    "BrandFacts",
    "KnownBrandColumns",
    "brand_replica_subscription",
    "forget_brand",
    "record_brand",
]
