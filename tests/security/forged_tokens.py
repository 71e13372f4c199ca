"""Tokens an attacker can bring: none, malformed, expired, not yet valid, signed by another key
(unknown, or claiming the real key's id), `alg: none`, HS256 keyed with the public key, another
audience, another issuer, and a revoked partner client's. Each is a real token of A's group
admin with one thing wrong, signed with the directory's own key unless the attack is the key."""

import base64
import hashlib
import hmac
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from vigie_runtime.tokens import ALGORITHM, SigningKey


def _b64(data: dict[str, Any]) -> str:
    raw = json.dumps(data, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _signed(claims: dict[str, Any], key: SigningKey, kid: str | None = None) -> str:
    return jwt.encode(claims, key.private_key, algorithm=ALGORITHM, headers={"kid": kid or key.kid})


def forged(genuine: str, signing_key_file: Path, revoked_partner: str) -> dict[str, str | None]:
    """Attack name -> the Authorization header to send (None: none at all)."""
    return {
        name: token if name in ("none", "wrong_scheme") else f"Bearer {token}"
        for name, token in _tokens(genuine, signing_key_file, revoked_partner).items()
    }


def _tokens(genuine: str, signing_key_file: Path, revoked_partner: str) -> dict[str, str | None]:
    header = jwt.get_unverified_header(genuine)
    claims = jwt.decode(genuine, options={"verify_signature": False})
    real = SigningKey.from_pem(signing_key_file.read_bytes())
    other = SigningKey.generate()
    now = int(datetime.now(UTC).timestamp())
    hour = int(timedelta(hours=1).total_seconds())
    public_pem = real.private_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return {
        "none": None,
        "wrong_scheme": f"Basic {genuine}",
        "malformed": "not.a-jwt",
        "garbage_segments": f"{_b64(header)}.{_b64(claims)}.bm90LWEtc2lnbmF0dXJl",
        "expired": _signed({**claims, "iat": now - 2 * hour, "nbf": now - 2 * hour,
                            "exp": now - hour}, real),
        "not_yet_valid": _signed({**claims, "iat": now, "nbf": now + hour,
                                  "exp": now + 2 * hour}, real),
        "another_key": _signed(claims, other),
        "another_key_real_kid": _signed(claims, other, kid=real.kid),
        "alg_none": f"{_b64({'alg': 'none', 'typ': 'JWT', 'kid': real.kid})}.{_b64(claims)}.",
        "alg_hs256_public_key": _hs256(claims, public_pem, real.kid),
        "another_audience": _signed({**claims, "aud": "someone-else"}, real),
        "another_issuer": _signed({**claims, "iss": "someone-else"}, real),
        "no_tenant": _signed({k: v for k, v in claims.items() if k != "tenant"}, real),
        "revoked_partner": revoked_partner,
    }  # fmt: skip


def _hs256(claims: dict[str, Any], secret: bytes, kid: str) -> str:
    """The algorithm-confusion attack, built by hand (PyJWT refuses a PEM as an HMAC key)."""
    signing_input = f"{_b64({'alg': 'HS256', 'typ': 'JWT', 'kid': kid})}.{_b64(claims)}"
    mac = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{base64.urlsafe_b64encode(mac).rstrip(b'=').decode()}"
