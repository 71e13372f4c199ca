"""A revoked partner client's tokens are refused by every verifier that follows the directory's
`partner_client.revoked` events, including one started after the revocation."""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from vigie.directory.v1 import events_pb2
from vigie.directory.v1 import resources_pb2 as pb
from vigie_runtime.errors import Unauthenticated
from vigie_runtime.ids import new_id
from vigie_runtime.principal import Principal, PrincipalKind, Role, RoleGrant
from vigie_runtime.revocations import PARTNER_CLIENT_REVOKED, follow_revocations
from vigie_runtime.testing.events import publish_as_producer
from vigie_runtime.testing.waiting import eventually
from vigie_runtime.tokens import SigningKey, TokenIssuer, TokenVerifier, write_jwks

pytestmark = pytest.mark.asyncio


class Partners:
    """Tokens of partner clients of one tenant, and verifiers of them."""

    def __init__(self, folder: Path) -> None:
        self.jwks = folder / "jwks.json"
        key = SigningKey.generate()
        write_jwks(self.jwks, [key])
        self._issuer = TokenIssuer(key, "vigie-directory", "vigie")
        self.tenant = new_id().lower()

    def client(self) -> str:
        return f"tenants/{self.tenant}/partnerClients/{new_id().lower()}"

    def token(self, client: str) -> str:
        principal = Principal(
            subject=client,
            tenant=self.tenant,
            kind=PrincipalKind.PARTNER,
            grants=(RoleGrant(Role.PARTNER),),
            scopes=frozenset({"mentions.read"}),
            brands=frozenset({f"tenants/{self.tenant}/brands/b1"}),
        )
        return self._issuer.issue(principal, timedelta(minutes=15))[0]

    @asynccontextmanager
    async def verifier(self, nats_url: str) -> AsyncIterator[TokenVerifier]:
        """A verifier whose revocation list follows NATS, as a service's host keeps it."""
        verifier = TokenVerifier.from_file(self.jwks, "vigie-directory", "vigie")
        task = asyncio.create_task(follow_revocations(verifier.revocations, nats_url, "test"))
        try:
            yield verifier
        finally:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)


def _refused_as_revoked(verifier: TokenVerifier, token: str) -> bool:
    try:
        verifier.verify(token)
    except Unauthenticated as refused:
        assert refused.reason == "TOKEN_REVOKED", refused.reason
        return True
    return False


async def _revoke(nats_url: str, tenant: str, client: str) -> None:
    """Publishes what the directory's `revoke` emits."""
    revoked = events_pb2.PartnerClientRevoked(
        partner_client=pb.PartnerClient(name=client, revoked=True)
    )
    await publish_as_producer(nats_url, PARTNER_CLIENT_REVOKED, tenant, revoked)


async def test_a_revoked_partner_clients_token_is_refused_and_its_neighbours_are_not(
    tmp_path: Path, nats_url: str
) -> None:
    partners = Partners(tmp_path)
    revoked, other = partners.client(), partners.client()
    revoked_token, other_token = partners.token(revoked), partners.token(other)
    async with partners.verifier(nats_url) as verifier:
        assert verifier.verify(revoked_token).subject == revoked  # valid until revoked
        await _revoke(nats_url, partners.tenant, revoked)

        async def refused() -> bool:
            return _refused_as_revoked(verifier, revoked_token)

        await eventually(refused)
        assert verifier.verify(other_token).subject == other


async def test_a_verifier_started_after_the_revocation_refuses_too(
    tmp_path: Path, nats_url: str
) -> None:
    partners = Partners(tmp_path)
    revoked, other = partners.client(), partners.client()
    revoked_token = partners.token(revoked)
    await _revoke(nats_url, partners.tenant, revoked)
    async with partners.verifier(nats_url) as verifier:

        async def refused() -> bool:
            return _refused_as_revoked(verifier, revoked_token)

        await eventually(refused)
        assert verifier.verify(partners.token(other)).subject == other


async def test_only_tokens_issued_before_the_revocation_time_are_refused(tmp_path: Path) -> None:
    partners = Partners(tmp_path)
    client = partners.client()
    verifier = TokenVerifier.from_file(partners.jwks, "vigie-directory", "vigie")
    token = partners.token(client)
    verifier.revocations.revoke(client, datetime.now(UTC) - timedelta(minutes=1))
    assert verifier.verify(token).subject == client
    verifier.revocations.revoke(client, datetime.now(UTC) + timedelta(seconds=1))
    assert _refused_as_revoked(verifier, token)
