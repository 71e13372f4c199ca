"""A verifier remembers the tokens it verified, so a caller's RPCs skip the signature check,
but never past a token's expiry, never past a revocation, and never beyond its capacity."""

import json
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import jwt
import pytest
from vigie_runtime.errors import Unauthenticated
from vigie_runtime.ids import new_id
from vigie_runtime.principal import Principal, PrincipalKind, Role, RoleGrant
from vigie_runtime.tokens import SigningKey, TokenIssuer, TokenVerifier, write_jwks

TENANT = "t1"


class SignatureChecks:
    """Counts the real `jwt.decode` calls (each one checks a signature)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.count = 0
        real: Callable[..., Any] = jwt.decode

        def counted(*args: Any, **kwargs: Any) -> Any:
            self.count += 1
            return real(*args, **kwargs)

        monkeypatch.setattr("vigie_runtime.tokens.jwt.decode", counted)


@pytest.fixture
def issuer(tmp_path: Path) -> TokenIssuer:
    key = SigningKey.generate()
    write_jwks(tmp_path / "jwks.json", [key])
    return TokenIssuer(key, "vigie-directory", "vigie")


def _verifier(folder: Path, kept: int = 16) -> TokenVerifier:
    return TokenVerifier(
        lambda: json.loads((folder / "jwks.json").read_text()),
        "vigie-directory",
        "vigie",
        leeway_seconds=0,
        verified_tokens_kept=kept,
    )


def _user() -> Principal:
    return Principal(
        subject=f"tenants/{TENANT}/users/{new_id().lower()}",
        tenant=TENANT,
        kind=PrincipalKind.USER,
        grants=(RoleGrant(Role.ANALYST),),
    )


def _partner(client: str) -> Principal:
    return Principal(
        subject=client,
        tenant=TENANT,
        kind=PrincipalKind.PARTNER,
        grants=(RoleGrant(Role.PARTNER),),
        scopes=frozenset({"mentions.read"}),
        brands=frozenset({f"tenants/{TENANT}/brands/b1"}),
    )


def _reason(verifier: TokenVerifier, token: str) -> str:
    with pytest.raises(Unauthenticated) as refused:
        verifier.verify(token)
    return refused.value.reason


def test_a_token_verified_again_skips_the_signature_check(
    issuer: TokenIssuer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    checks = SignatureChecks(monkeypatch)
    verifier = _verifier(tmp_path)
    token, _ = issuer.issue(_user(), timedelta(minutes=5))
    first = verifier.verify(token)
    again = verifier.verify(token)
    assert again == first
    assert checks.count == 1


def test_a_remembered_token_still_expires(issuer: TokenIssuer, tmp_path: Path) -> None:
    verifier = _verifier(tmp_path)
    token, expires = issuer.issue(_user(), timedelta(seconds=1))
    verifier.verify(token)
    # `exp` is in whole seconds: wait until it is certainly past.
    time.sleep(max(0.0, int(expires.timestamp()) + 1.1 - time.time()))
    assert _reason(verifier, token) == "TOKEN_EXPIRED"


def test_a_remembered_token_is_refused_once_its_client_is_revoked(
    issuer: TokenIssuer, tmp_path: Path
) -> None:
    verifier = _verifier(tmp_path)
    client = f"tenants/{TENANT}/partnerClients/{new_id().lower()}"
    token, _ = issuer.issue(_partner(client), timedelta(minutes=5))
    verifier.verify(token)
    verifier.revocations.revoke(client, datetime.now(UTC) + timedelta(seconds=1))
    assert _reason(verifier, token) == "TOKEN_REVOKED"


def test_the_verifier_forgets_the_least_recently_used_token_beyond_its_capacity(
    issuer: TokenIssuer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    checks = SignatureChecks(monkeypatch)
    verifier = _verifier(tmp_path, kept=2)
    first, second, third = (issuer.issue(_user(), timedelta(minutes=5))[0] for _ in range(3))
    verifier.verify(first)
    verifier.verify(second)
    verifier.verify(first)  # now the most recently used: `second` goes when `third` comes
    verifier.verify(third)
    assert checks.count == 3
    verifier.verify(first)
    verifier.verify(third)
    assert checks.count == 3
    verifier.verify(second)
    assert checks.count == 4


def test_a_refused_token_is_not_remembered(
    issuer: TokenIssuer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    checks = SignatureChecks(monkeypatch)
    verifier = _verifier(tmp_path)
    token, _ = issuer.issue(_user(), timedelta(minutes=5))
    forged = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    assert _reason(verifier, forged) == "TOKEN_INVALID"
    assert _reason(verifier, forged) == "TOKEN_INVALID"
    assert checks.count == 2
