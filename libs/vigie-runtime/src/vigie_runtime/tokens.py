"""Signed tokens: Ed25519 JWTs issued by the directory, verified locally by every service.

The public keys travel as a JWKS document; a verifier re-reads it when a token names a key it
does not know, so keys rotate without restarting anything.
"""

import hashlib
import json
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from vigie_runtime.errors import Unauthenticated
from vigie_runtime.ids import new_id
from vigie_runtime.principal import Principal, PrincipalKind, Role, RoleGrant
from vigie_runtime.revocations import RevocationList

ALGORITHM = "EdDSA"
# Verified tokens remembered per verifier: one per live session or partner client is plenty.
VERIFIED_TOKENS_KEPT = 4096


@dataclass(frozen=True)
class SigningKey:
    kid: str
    private_key: Ed25519PrivateKey

    @classmethod
    def generate(cls) -> "SigningKey":
        key = Ed25519PrivateKey.generate()
        return cls(kid=_thumbprint(key), private_key=key)

    @classmethod
    def from_pem(cls, pem: bytes) -> "SigningKey":
        key = serialization.load_pem_private_key(pem, password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise ValueError("the signing key must be an Ed25519 private key")
        return cls(kid=_thumbprint(key), private_key=key)

    def to_pem(self) -> bytes:
        return self.private_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )

    def public_jwk(self) -> dict[str, Any]:
        jwk: dict[str, Any] = json.loads(
            jwt.algorithms.OKPAlgorithm.to_jwk(self.private_key.public_key())
        )
        jwk.update(kid=self.kid, alg=ALGORITHM, use="sig")
        return jwk


def _thumbprint(key: Ed25519PrivateKey) -> str:
    """A key id derived from the public key, stable across restarts and processes."""
    raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def load_or_create_signing_key(path: Path, create: bool) -> SigningKey:
    """Reads the PEM at `path`; in development creates it (mode 0600) when absent."""
    if path.exists():
        return SigningKey.from_pem(path.read_bytes())
    if not create:
        raise FileNotFoundError(f"signing key {path} is missing")
    key = SigningKey.generate()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch(mode=0o600)
    path.write_bytes(key.to_pem())
    return key


def jwks_document(keys: list[SigningKey]) -> dict[str, Any]:
    return {"keys": [k.public_jwk() for k in keys]}


def write_jwks(path: Path, keys: list[SigningKey]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(jwks_document(keys), indent=2))
    temporary.replace(path)  # atomic: a verifier never reads half a file


class TokenIssuer:
    def __init__(self, key: SigningKey, issuer: str, audience: str) -> None:
        self._key = key
        self._issuer = issuer
        self._audience = audience

    def issue(self, principal: Principal, ttl: timedelta) -> tuple[str, datetime]:
        now = datetime.now(UTC)
        expires = now + ttl
        claims: dict[str, Any] = {
            "iss": self._issuer,
            "aud": self._audience,
            "sub": principal.subject,
            "iat": int(now.timestamp()),
            "nbf": int(now.timestamp()),
            "exp": int(expires.timestamp()),
            "jti": new_id(),
            "tenant": principal.tenant,
            "kind": principal.kind.value,
            "roles": [{"role": g.role.value, "subsidiary": g.subsidiary} for g in principal.grants],
        }
        if principal.kind is PrincipalKind.PARTNER:
            claims["scopes"] = sorted(principal.scopes)
            claims["brands"] = sorted(principal.brands)
        token = jwt.encode(
            claims, self._key.private_key, algorithm=ALGORITHM, headers={"kid": self._key.kid}
        )
        return token, expires


class TokenVerifier:
    """Verifies tokens against a JWKS document loaded by `load_jwks`, and refuses those of
    partner clients in `revocations` (fed by `vigie_runtime.revocations.follow_revocations`)."""

    def __init__(
        self,
        load_jwks: Callable[[], dict[str, Any]],
        issuer: str,
        audience: str,
        leeway_seconds: int = 5,
        verified_tokens_kept: int = VERIFIED_TOKENS_KEPT,
    ) -> None:
        self._load_jwks = load_jwks
        self._issuer = issuer
        self._audience = audience
        self._leeway = leeway_seconds
        self._keys: dict[str, jwt.PyJWK] = {}
        self._loaded_at = 0.0
        self.revocations = RevocationList()
        self._verified = _VerifiedTokens(verified_tokens_kept)

    @classmethod
    def from_file(cls, path: Path, issuer: str, audience: str) -> "TokenVerifier":
        return cls(lambda: json.loads(path.read_text()), issuer, audience)

    def verify(self, token: str) -> Principal:
        """The token's principal. A token already verified is not verified again (its signature
        and claims cannot change) until its expiry; the revocation check runs on every call."""
        known = self._verified.get(token, time.time())
        if known is not None:
            principal, claims = known
        else:
            principal, claims = self._verify_signed(token)
            self._verified.put(token, principal, claims)
        self.revocations.check(principal, claims)
        return principal

    def _verify_signed(self, token: str) -> tuple[Principal, Mapping[str, Any]]:
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as error:
            raise Unauthenticated("TOKEN_MALFORMED", "the token is not a JWT") from error
        if header.get("alg") != ALGORITHM:
            raise Unauthenticated("TOKEN_ALGORITHM_REFUSED", "the token's algorithm is refused")
        key = self._key(str(header.get("kid", "")))
        try:
            claims = jwt.decode(
                token,
                key.key,
                algorithms=[ALGORITHM],
                audience=self._audience,
                issuer=self._issuer,
                leeway=self._leeway,
                options={"require": ["exp", "iat", "nbf", "sub", "aud", "iss", "tenant"]},
            )
        except jwt.ExpiredSignatureError as error:
            raise Unauthenticated("TOKEN_EXPIRED", "the token has expired") from error
        except jwt.ImmatureSignatureError as error:
            raise Unauthenticated("TOKEN_NOT_YET_VALID", "the token is not valid yet") from error
        except jwt.InvalidAudienceError as error:
            raise Unauthenticated(
                "TOKEN_AUDIENCE_REFUSED", "the token is for another audience"
            ) from error
        except jwt.PyJWTError as error:
            raise Unauthenticated("TOKEN_INVALID", "the token is invalid") from error
        return principal_from_claims(claims), claims

    def _key(self, kid: str) -> jwt.PyJWK:
        if kid not in self._keys and time.monotonic() - self._loaded_at > 1.0:
            self._reload()
        try:
            return self._keys[kid]
        except KeyError:
            raise Unauthenticated(
                "TOKEN_KEY_UNKNOWN", "the token was signed by an unknown key"
            ) from None

    def _reload(self) -> None:
        self._loaded_at = time.monotonic()
        try:
            document = self._load_jwks()
        except (OSError, ValueError):
            return  # keep the keys we have; the next unknown kid tries again
        self._keys = {k["kid"]: jwt.PyJWK(k) for k in document.get("keys", []) if "kid" in k}


class _VerifiedTokens:
    """A bounded LRU of verified tokens, each dropped at its `exp` (never served past it)."""

    def __init__(self, capacity: int) -> None:
        self._capacity = capacity
        self._entries: OrderedDict[str, tuple[float, Principal, Mapping[str, Any]]] = OrderedDict()
        self._lock = threading.Lock()  # the gateway may verify from worker threads

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, token: str, now: float) -> tuple[Principal, Mapping[str, Any]] | None:
        with self._lock:
            entry = self._entries.get(token)
            if entry is None:
                return None
            expires, principal, claims = entry
            if now >= expires:
                del self._entries[token]
                return None
            self._entries.move_to_end(token)
            return principal, claims

    def put(self, token: str, principal: Principal, claims: Mapping[str, Any]) -> None:
        expires = float(claims["exp"])
        if time.time() >= expires:
            return  # accepted within the leeway only: not worth remembering
        with self._lock:
            self._entries[token] = (expires, principal, claims)
            self._entries.move_to_end(token)
            while len(self._entries) > self._capacity:
                self._entries.popitem(last=False)


def principal_from_claims(claims: dict[str, Any]) -> Principal:
    try:
        grants = tuple(
            RoleGrant(Role(r["role"]), r.get("subsidiary") or None) for r in claims.get("roles", [])
        )
        return Principal(
            subject=str(claims["sub"]),
            tenant=str(claims["tenant"]),
            kind=PrincipalKind(claims.get("kind", "user")),
            grants=grants,
            scopes=frozenset(claims.get("scopes", [])),
            brands=frozenset(claims.get("brands", [])),
            token_id=str(claims.get("jti", "")),
        )
    except (KeyError, ValueError, TypeError) as error:
        raise Unauthenticated("TOKEN_CLAIMS_INVALID", "the token's claims are invalid") from error
