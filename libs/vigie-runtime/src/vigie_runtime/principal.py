"""Who is calling: the claims of a verified token, and the role rules every service applies."""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from enum import StrEnum

from vigie_runtime.errors import PermissionDenied, Unauthenticated


class Role(StrEnum):
    GROUP_ADMIN = "group_admin"
    SOCIAL_MEDIA_MANAGER = "social_media_manager"
    COMMUNITY_MANAGER = "community_manager"
    ANALYST = "analyst"
    PARTNER = "partner"


class PrincipalKind(StrEnum):
    USER = "user"
    PARTNER = "partner"


@dataclass(frozen=True)
class RoleGrant:
    role: Role
    # A subsidiary's resource name, or None for a group-wide grant.
    subsidiary: str | None = None


@dataclass(frozen=True)
class Principal:
    subject: str
    tenant: str
    kind: PrincipalKind = PrincipalKind.USER
    grants: tuple[RoleGrant, ...] = ()
    # A partner client's verbs ("mentions.ingest", ...) and brands; empty for users.
    scopes: frozenset[str] = field(default_factory=frozenset)
    brands: frozenset[str] = field(default_factory=frozenset)
    token_id: str = ""

    @property
    def is_group_admin(self) -> bool:
        return any(g.role is Role.GROUP_ADMIN and g.subsidiary is None for g in self.grants)

    def holds(self, roles: Iterable[Role], subsidiary: str | None = None) -> bool:
        """True when a grant of one of `roles` covers `subsidiary` (None: group-wide only).

        A group admin holds every role everywhere; a group-wide grant covers every subsidiary.
        """
        if self.is_group_admin:
            return True
        wanted = set(roles)
        return any(
            g.role in wanted and (g.subsidiary is None or g.subsidiary == subsidiary)
            for g in self.grants
        )

    def subsidiaries_with(self, roles: Iterable[Role]) -> set[str] | None:
        """The subsidiaries where one of `roles` is held; None means all of them."""
        wanted = set(roles)
        if self.is_group_admin or any(
            g.role in wanted and g.subsidiary is None for g in self.grants
        ):
            return None
        return {g.subsidiary for g in self.grants if g.role in wanted and g.subsidiary}

    def require(self, roles: Iterable[Role], subsidiary: str | None = None) -> None:
        roles = tuple(roles)
        if not self.holds(roles, subsidiary):
            where = f" in {subsidiary}" if subsidiary else " group-wide"
            raise PermissionDenied(
                "ROLE_REQUIRED",
                f"this needs one of the roles {', '.join(r.value for r in roles)}{where}",
            )

    def require_scope(self, scope: str, brand: str | None = None) -> None:
        if self.kind is not PrincipalKind.PARTNER:
            return
        if scope not in self.scopes:
            raise PermissionDenied("SCOPE_REQUIRED", f"this client lacks the scope {scope!r}")
        if brand is not None and brand not in self.brands:
            raise PermissionDenied("BRAND_NOT_IN_SCOPE", f"this client may not act on {brand}")


READ_ROLES = (
    Role.GROUP_ADMIN,
    Role.SOCIAL_MEDIA_MANAGER,
    Role.COMMUNITY_MANAGER,
    Role.ANALYST,
)

_current: ContextVar[Principal | None] = ContextVar("vigie_principal", default=None)


def current_principal() -> Principal:
    principal = _current.get()
    if principal is None:
        raise Unauthenticated("TOKEN_MISSING", "this call needs a bearer token")
    return principal


@contextmanager
def acting_as(principal: Principal | None) -> Iterator[None]:
    token = _current.set(principal)
    try:
        yield
    finally:
        _current.reset(token)
