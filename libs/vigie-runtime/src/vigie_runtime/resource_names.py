"""Resource names that carry the tenant (`tenants/{tenant}/brands/{brand}`), parsed strictly."""

import re
from dataclasses import dataclass

from vigie_runtime.errors import InvalidArgument, NotFound

_SEGMENT = re.compile(r"^[a-z0-9][a-z0-9_-]{0,62}$")


@dataclass(frozen=True)
class ResourcePattern:
    """E.g. `ResourcePattern("brand", ("tenants", "brands"))` for tenants/{t}/brands/{b}."""

    resource: str
    collections: tuple[str, ...]

    def format(self, *ids: str) -> str:
        return "/".join(f"{c}/{i}" for c, i in zip(self.collections, ids, strict=True))

    def parse(self, name: str, field: str = "name") -> tuple[str, ...]:
        """The ids in `name`; INVALID_ARGUMENT naming `field` when it does not fit the pattern."""
        parts = name.split("/")
        expected = " /".join(f"{c}/{{id}}" for c in self.collections).replace(" ", "")
        if len(parts) != 2 * len(self.collections) or len(name) > 512:
            raise InvalidArgument(field, f"expected a {self.resource} name like {expected}")
        ids = []
        for index, collection in enumerate(self.collections):
            if parts[2 * index] != collection or not _SEGMENT.match(parts[2 * index + 1]):
                raise InvalidArgument(field, f"expected a {self.resource} name like {expected}")
            ids.append(parts[2 * index + 1])
        return tuple(ids)

    def parse_in_tenant(self, name: str, tenant: str, field: str = "name") -> tuple[str, ...]:
        """Like `parse`, and NOT_FOUND when the name belongs to another tenant: a caller learns
        nothing about other tenants' resources, not even that they exist."""
        ids = self.parse(name, field)
        if self.collections[0] == "tenants" and ids[0] != tenant:
            raise NotFound(self.resource, name)
        return ids


TENANT = ResourcePattern("tenant", ("tenants",))


def require_parent(parent: str, tenant: str, field: str = "parent") -> None:
    """The `parent` of a List/Create must be the caller's own tenant."""
    (tenant_id,) = TENANT.parse(parent, field)
    if tenant_id != tenant:
        raise NotFound("tenant", parent)
