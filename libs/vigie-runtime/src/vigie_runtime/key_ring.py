"""Secrets at rest, sealed with a rotatable ring of Fernet keys.

The first key seals, every key opens: to rotate, put a new key first, reseal what is stored,
then drop the old key. Services keep their keys in a comma-separated setting; production
refuses to start without one, development falls back to a fixed, public key so a local install
restarts with readable secrets.
"""

from collections.abc import Sequence

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

# Every Fernet token starts with its version byte 0x80, base64url-encoded as "gAAAAA".
SEALED_PREFIX = "gAAAAA"


class SealedUnreadable(Exception):
    """No key of the ring opens this value (a key was dropped too early)."""


def parse_keys(setting: str) -> list[str]:
    """The keys of a comma-separated setting, current first."""
    return [key.strip() for key in setting.split(",") if key.strip()]


def looks_sealed(stored: str) -> bool:
    return stored.startswith(SEALED_PREFIX)


class KeyRing:
    def __init__(self, keys: Sequence[str]) -> None:
        if not keys:
            raise ValueError("a key ring needs at least one key")
        self._current = Fernet(keys[0].encode())
        self._fernet = MultiFernet([Fernet(key.encode()) for key in keys])

    def seal(self, plain: bytes) -> str:
        return self._fernet.encrypt(plain).decode()

    def open(self, sealed: str) -> bytes:
        try:
            return self._fernet.decrypt(sealed.encode())
        except InvalidToken as exc:
            raise SealedUnreadable("no configured key opens this value") from exc

    def sealed_with_current(self, sealed: str) -> bool:
        """Whether the current (first) key opens it: a reseal would change nothing."""
        try:
            self._current.decrypt(sealed.encode())
        except InvalidToken:
            return False
        return True

    def reseal(self, sealed: str) -> str:
        """The same value under the current (first) key."""
        try:
            return self._fernet.rotate(sealed.encode()).decode()
        except InvalidToken as exc:
            raise SealedUnreadable("no configured key opens this value") from exc
