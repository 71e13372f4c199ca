"""Who may do what with the tenant-wide resources of partnerships."""

from collections.abc import Sequence
from typing import TypeVar

from vigie_runtime.errors import InvalidArgument, PermissionDenied
from vigie_runtime.principal import READ_ROLES, Principal, PrincipalKind, Role
from vigie_runtime.tenant_rows import MAX_BATCH

Row = TypeVar("Row")
MANAGERS = (Role.GROUP_ADMIN, Role.SOCIAL_MEDIA_MANAGER)


def require_anywhere(who: Principal, roles: tuple[Role, ...], scope: str = "") -> None:
    """Creators and campaigns are the tenant's, not a subsidiary's: a role held in any
    subsidiary is enough; a partner client needs `scope` instead (no scope: refused)."""
    if who.kind is PrincipalKind.PARTNER:
        if not scope:
            raise PermissionDenied("ROLE_REQUIRED", "partner clients cannot do this")
        who.require_scope(scope)
        return
    allowed = who.subsidiaries_with(roles)
    if allowed is not None and not allowed:
        who.require(roles)


def require_reader(who: Principal, scope: str = "") -> None:
    require_anywhere(who, READ_ROLES, scope)


def require_batch_size(names: Sequence[str]) -> None:
    if len(names) > MAX_BATCH:
        raise InvalidArgument("names", f"at most {MAX_BATCH} names")
