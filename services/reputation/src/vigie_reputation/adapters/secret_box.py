"""Webhook signing secrets, encrypted at rest with a rotatable set of Fernet keys.

The first key seals, every key opens: to rotate, prepend a new key, let `reseal` run (or
update each webhook), then drop the old key. A secret stored before encryption (plain text, from
migration 0004's predecessors) is recognised by not being a Fernet token and is still opened,
so deliveries keep working until it is resealed.
"""

from collections.abc import Sequence

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

# Every Fernet token starts with its version byte 0x80, base64url-encoded as "gAAAAA".
FERNET_PREFIX = "gAAAAA"


class SecretUnreadable(Exception):
    """No configured key opens this secret (a key was dropped too early)."""


class SecretBox:
    def __init__(self, keys: Sequence[str]) -> None:
        if not keys:
            raise ValueError("at least one webhook secret key is needed")
        self._fernet = MultiFernet([Fernet(k.encode()) for k in keys])

    def seal(self, secret: str) -> str:
        return self._fernet.encrypt(secret.encode()).decode()

    def open(self, sealed: str) -> str:
        if not is_sealed(sealed):
            return sealed
        try:
            return self._fernet.decrypt(sealed.encode()).decode()
        except InvalidToken as exc:
            raise SecretUnreadable("no configured key opens this webhook secret") from exc

    def reseal(self, sealed: str) -> str:
        """The same secret under the current (first) key."""
        return self.seal(self.open(sealed))


def is_sealed(stored: str) -> bool:
    return stored.startswith(FERNET_PREFIX)
