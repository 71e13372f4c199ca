"""Social network credentials, encrypted at rest with a rotatable set of Fernet keys."""

import json
from collections.abc import Sequence
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet


class CredentialsUnreadable(Exception):
    """No configured key decrypts the stored credentials (a key was dropped too early)."""


class CredentialVault:
    """Seals credentials with the first key; opens what any configured key sealed."""

    def __init__(self, keys: Sequence[str]) -> None:
        if not keys:
            raise ValueError("at least one credentials key is needed")
        self._fernet = MultiFernet([Fernet(k.encode()) for k in keys])

    def seal(self, credentials: dict[str, Any]) -> str:
        return self._fernet.encrypt(json.dumps(credentials, sort_keys=True).encode()).decode()

    def open(self, sealed: str) -> dict[str, Any]:
        try:
            opened: dict[str, Any] = json.loads(self._fernet.decrypt(sealed.encode()))
        except InvalidToken as exc:
            raise CredentialsUnreadable("no configured key opens these credentials") from exc
        return opened

    def reseal(self, sealed: str) -> str:
        """The same credentials under the current (first) key."""
        try:
            return self._fernet.rotate(sealed.encode()).decode()
        except InvalidToken as exc:
            raise CredentialsUnreadable("no configured key opens these credentials") from exc
