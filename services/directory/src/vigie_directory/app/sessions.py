"""Logging in: e-mail and password for people, id and secret for partner clients."""

from datetime import datetime, timedelta

from sqlalchemy import select
from vigie_runtime.errors import Unauthenticated
from vigie_runtime.principal import Principal, PrincipalKind, Role, RoleGrant
from vigie_runtime.tenant_rows import load
from vigie_runtime.tokens import TokenIssuer
from vigie_runtime.uow import UnitOfWork

from vigie_directory.adapters.orm import MemberRow, PartnerClientRow
from vigie_directory.adapters.passwords import verify_secret
from vigie_directory.app import grants
from vigie_directory.app.names import BRAND, MEMBER, PARTNER_CLIENT

_REFUSED = "the e-mail or the password is wrong"


async def login(
    uow: UnitOfWork, issuer: TokenIssuer, email: str, password: str, ttl: timedelta
) -> tuple[str, datetime, MemberRow]:
    row = await uow.session.scalar(
        select(MemberRow).where(MemberRow.email == email.strip().lower())
    )
    if not verify_secret(row.password_hash if row else None, password) or row is None:
        raise Unauthenticated("INVALID_CREDENTIALS", _REFUSED)
    principal = Principal(
        subject=MEMBER.format(row.tenant, row.id),
        tenant=row.tenant,
        grants=tuple(grants.from_json(row.tenant, row.roles)),
    )
    token, expires = issuer.issue(principal, ttl)
    return token, expires, row


async def partner_token(
    uow: UnitOfWork, issuer: TokenIssuer, client_id: str, secret: str, ttl: timedelta
) -> tuple[str, datetime]:
    row = await uow.session.scalar(
        select(PartnerClientRow).where(PartnerClientRow.client_id == client_id)
    )
    valid = verify_secret(row.secret_hash if row else None, secret)
    if row is None or not valid or row.revoked_at is not None:
        raise Unauthenticated("INVALID_CLIENT", "the client id or secret is wrong, or revoked")
    principal = Principal(
        subject=PARTNER_CLIENT.format(row.tenant, row.id),
        tenant=row.tenant,
        kind=PrincipalKind.PARTNER,
        grants=(RoleGrant(Role.PARTNER, None),),
        scopes=frozenset(row.scopes),
        brands=frozenset(BRAND.format(row.tenant, b) for b in row.brands),
    )
    return issuer.issue(principal, ttl)


async def current_member(uow: UnitOfWork, who: Principal) -> MemberRow:
    if who.kind is not PrincipalKind.USER:
        raise Unauthenticated("NOT_A_MEMBER", "partner clients are not members")
    _, member_id = MEMBER.parse_in_tenant(who.subject, who.tenant, "token.sub")
    return await load(uow, MemberRow, "member", who.tenant, member_id, who.subject)
