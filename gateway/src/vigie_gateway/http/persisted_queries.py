"""Persisted queries: Apollo's automatic protocol (APQ) and the production allow-list.

APQ (https://www.apollographql.com/docs/apollo-server/performance/apq): a client first sends only
`extensions.persistedQuery.sha256Hash`; on `PERSISTED_QUERY_NOT_FOUND` it sends the query with the
hash, which the gateway checks and keeps in a bounded store of its own process (least recently used
entries go first, so a client sending endless distinct queries cannot grow memory).

The allow-list (a JSON file of sha256 -> query, built from the front end's sources): when it is on,
only its queries run, whether sent by hash or in full; anything else is PERSISTED_QUERY_NOT_ALLOWED.
"""

import hashlib
import json
from collections import OrderedDict
from pathlib import Path
from typing import Any

from vigie_gateway.http.protocol import GraphQLParams, ProtocolError

NOT_FOUND = "PERSISTED_QUERY_NOT_FOUND"
NOT_SUPPORTED = "PERSISTED_QUERY_NOT_SUPPORTED"
NOT_ALLOWED = "PERSISTED_QUERY_NOT_ALLOWED"
HASH_MISMATCH = "PERSISTED_QUERY_HASH_MISMATCH"


def sha256_of(query: str) -> str:
    return hashlib.sha256(query.encode()).hexdigest()


def load_allow_list(path: Path) -> dict[str, str]:
    """The file's queries by hash; a hash that does not match its query stops the start-up."""
    entries = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(entries, dict):
        raise ValueError(f"{path}: expected a JSON object of sha256 -> query")
    for digest, query in entries.items():
        if not isinstance(query, str) or sha256_of(query) != digest.lower():
            raise ValueError(f"{path}: the query under {digest} does not hash to it")
    return {digest.lower(): query for digest, query in entries.items()}


class PersistedQueries:
    """Turns a request's params into the query text to run, or refuses it."""

    def __init__(
        self, capacity: int, allow_list: dict[str, str] | None = None, apq: bool = True
    ) -> None:
        self._capacity = capacity
        self._allow_list = allow_list
        self._apq = apq
        self._store: OrderedDict[str, str] = OrderedDict()

    def resolve(self, params: GraphQLParams) -> str | None:
        digest = _requested_hash(params.extensions)
        if self._allow_list is not None:
            return self._from_allow_list(params.query, digest)
        if digest is None:
            return params.query
        if not self._apq:
            raise _refusal(NOT_SUPPORTED, "PersistedQueryNotSupported")
        if params.query is None:
            return self._recall(digest)
        if sha256_of(params.query) != digest:
            raise ProtocolError(400, HASH_MISMATCH, "provided sha does not match query")
        self._remember(digest, params.query)
        return params.query

    def _from_allow_list(self, query: str | None, digest: str | None) -> str:
        assert self._allow_list is not None
        digest = sha256_of(query) if query is not None else digest
        if digest is None or digest not in self._allow_list:
            raise _refusal(NOT_ALLOWED, "only the allow-listed queries run on this gateway")
        return self._allow_list[digest]

    def _recall(self, digest: str) -> str:
        query = self._store.get(digest)
        if query is None:
            raise _refusal(NOT_FOUND, "PersistedQueryNotFound")
        self._store.move_to_end(digest)
        return query

    def _remember(self, digest: str, query: str) -> None:
        self._store[digest] = query
        self._store.move_to_end(digest)
        while len(self._store) > self._capacity:
            self._store.popitem(last=False)

    def __len__(self) -> int:
        return len(self._store)


def _requested_hash(extensions: dict[str, Any]) -> str | None:
    persisted = extensions.get("persistedQuery")
    if persisted is None:
        return None
    digest = persisted.get("sha256Hash") if isinstance(persisted, dict) else None
    if not isinstance(digest, str) or persisted.get("version", 1) != 1:
        raise ProtocolError(400, "BAD_REQUEST", "persistedQuery needs version 1 and sha256Hash")
    return digest.lower()


def _refusal(code: str, message: str) -> ProtocolError:
    # A GraphQL error (not an HTTP failure), so Apollo's link reads the code and retries.
    return ProtocolError(200, code, message)
