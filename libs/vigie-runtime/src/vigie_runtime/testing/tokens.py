"""Signed tokens for tests of a service on its own (without a directory): a key whose JWKS is
written where the service under test reads it, and principals of any tenant and role."""

from datetime import timedelta
from pathlib import Path

from vigie_runtime.grpc_client import bearer
from vigie_runtime.principal import Principal, PrincipalKind, Role, RoleGrant
from vigie_runtime.tokens import SigningKey, TokenIssuer, write_jwks


class TestKeys:
    __test__ = False  # not a test class, whatever pytest thinks of its name

    def __init__(self, jwks_file: Path, issuer: str = "vigie-directory", audience: str = "vigie"):
        self.key = SigningKey.generate()
        write_jwks(jwks_file, [self.key])
        self._issuer = TokenIssuer(self.key, issuer, audience)

    def token(
        self,
        tenant: str,
        *grants: tuple[Role, str | None],
        subject: str = "",
        ttl: timedelta = timedelta(minutes=30),
    ) -> str:
        """A user's token; `grants` are (role, subsidiary resource name or None)."""
        principal = Principal(
            subject=subject or f"tenants/{tenant}/members/01aaaaaaaaaaaaaaaaaaaaaaaa",
            tenant=tenant,
            grants=tuple(RoleGrant(role, where) for role, where in grants),
        )
        return self._issuer.issue(principal, ttl)[0]

    def partner_token(
        self,
        tenant: str,
        scopes: set[str],
        brands: set[str],
        ttl: timedelta = timedelta(minutes=15),
    ) -> str:
        principal = Principal(
            subject=f"tenants/{tenant}/partnerClients/01pppppppppppppppppppppppp",
            tenant=tenant,
            kind=PrincipalKind.PARTNER,
            grants=(RoleGrant(Role.PARTNER),),
            scopes=frozenset(scopes),
            brands=frozenset(brands),
        )
        return self._issuer.issue(principal, ttl)[0]

    def admin(self, tenant: str) -> tuple[tuple[str, str], ...]:
        """gRPC metadata of a group admin of `tenant`."""
        return bearer(self.token(tenant, (Role.GROUP_ADMIN, None)))
