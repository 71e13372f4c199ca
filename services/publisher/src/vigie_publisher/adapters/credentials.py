"""Social network credentials, encrypted at rest with the publisher's key ring."""

import json
from collections.abc import Sequence
from typing import Any

from vigie_runtime.key_ring import KeyRing, SealedUnreadable


class CredentialsUnreadable(Exception):
    """No configured key decrypts the stored credentials (a key was dropped too early)."""


class CredentialVault:
    """Seals credentials with the first key; opens what any configured key sealed."""

    def __init__(self, keys: Sequence[str]) -> None:
        if not keys:
            raise ValueError("at least one credentials key is needed")
        self._ring = KeyRing(keys)

    def seal(self, credentials: dict[str, Any]) -> str:
        return self._ring.seal(json.dumps(credentials, sort_keys=True).encode())

    def open(self, sealed: str) -> dict[str, Any]:
        try:
            opened: dict[str, Any] = json.loads(self._ring.open(sealed))
        except SealedUnreadable as exc:
            raise CredentialsUnreadable("no configured key opens these credentials") from exc
        return opened

    def is_current(self, sealed: str) -> bool:
        """Sealed with the current key already (a reseal would change nothing)."""
        return self._ring.sealed_with_current(sealed)

    def reseal(self, sealed: str) -> str:
        """The same credentials under the current (first) key."""
        try:
            return self._ring.reseal(sealed)
        except SealedUnreadable as exc:
            raise CredentialsUnreadable("no configured key opens these credentials") from exc
