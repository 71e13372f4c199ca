"""Opaque page tokens for keyset pagination (AIP-158): the last key seen, bound to the query.

A token carries the filter's fingerprint so it cannot be replayed against another query.
"""

import base64
import hashlib
import json

from vigie_runtime.errors import InvalidArgument

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 1000


def page_size(requested: int) -> int:
    if requested < 0:
        raise InvalidArgument("page_size", "must not be negative")
    return min(requested or DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)


def _fingerprint(query: object) -> str:
    return hashlib.sha256(json.dumps(query, sort_keys=True, default=str).encode()).hexdigest()[:16]


def encode_page_token(last_key: list[object], query: object) -> str:
    raw = json.dumps({"k": last_key, "q": _fingerprint(query)}, default=str).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_page_token(token: str, query: object) -> list[object] | None:
    """The last key of the previous page, or None for the first page."""
    if not token:
        return None
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        data = json.loads(raw)
        key, fingerprint = data["k"], data["q"]
    except (ValueError, KeyError, TypeError):
        raise InvalidArgument("page_token", "is not a token this API returned") from None
    if fingerprint != _fingerprint(query) or not isinstance(key, list):
        raise InvalidArgument("page_token", "belongs to another query") from None
    return key
