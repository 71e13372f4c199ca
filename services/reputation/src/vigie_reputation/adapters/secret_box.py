"""Webhook signing secrets, encrypted at rest with the reputation's key ring.

A secret stored before encryption (plain text, from migration 0004's predecessors) is
recognised by not being a Fernet token and is still opened, so deliveries keep working until
it is resealed.
"""

from collections.abc import Sequence

from vigie_runtime.key_ring import KeyRing, SealedUnreadable, looks_sealed


class SecretUnreadable(Exception):
    """No configured key opens this secret (a key was dropped too early)."""


class SecretBox:
    def __init__(self, keys: Sequence[str]) -> None:
        if not keys:
            raise ValueError("at least one webhook secret key is needed")
        self._ring = KeyRing(keys)

    def seal(self, secret: str) -> str:
        return self._ring.seal(secret.encode())

    def open(self, sealed: str) -> str:
        if not is_sealed(sealed):
            return sealed
        try:
            return self._ring.open(sealed).decode()
        except SealedUnreadable as exc:
            raise SecretUnreadable("no configured key opens this webhook secret") from exc

    def is_current(self, sealed: str) -> bool:
        """Sealed with the current key already (a plain-text secret of old is not)."""
        return is_sealed(sealed) and self._ring.sealed_with_current(sealed)

    def reseal(self, sealed: str) -> str:
        """The same secret under the current (first) key."""
        return self.seal(self.open(sealed))


def is_sealed(stored: str) -> bool:
    return looks_sealed(stored)
