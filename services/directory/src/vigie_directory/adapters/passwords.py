"""Password and client-secret hashes (argon2id)."""

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()
# Verified when the e-mail is unknown, so a failed login takes as long either way.
_DUMMY_HASH = _hasher.hash("vigie-timing-equaliser")


def hash_secret(secret: str) -> str:
    return str(_hasher.hash(secret))


def verify_secret(stored_hash: str | None, secret: str) -> bool:
    try:
        return bool(_hasher.verify(stored_hash or _DUMMY_HASH, secret)) and stored_hash is not None
    except (VerificationError, InvalidHashError):
        return False
