"""All active queries of all tenants, indexed so that an item is checked only against the
queries it could match.

Each query is filed under its requirement (see `requirements`): its keys in an inverted index,
its wildcard prefixes in a prefix index, or, with no requirement, in the always-evaluated set.
An item probes the index with its keys, and with the prefixes of its tokens (a trie walk
flattened into dictionary look-ups). Wildcard prefixes are filed under their first
`PREFIX_KEY_LENGTH` characters, so an item token costs at most a few look-ups however many
prefix lengths queries use; the predicate then checks the whole prefix. Only candidates'
predicates run. Adding or removing a query touches only that query's entries.
"""

from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass

from vigie_listener.domain.query_language.compiler import CompiledQuery, analyse
from vigie_listener.domain.query_language.item import AnalysedItem, MatchableItem
from vigie_listener.domain.query_language.requirements import Requirement

PREFIX_KEY_LENGTH = 4


@dataclass(frozen=True, slots=True)
class _Entry:
    tenant: str
    query: CompiledQuery


class Matcher:
    def __init__(self) -> None:
        self._entries: dict[str, _Entry] = {}
        self._by_key: dict[str, set[str]] = {}
        self._by_prefix: dict[str, set[str]] = {}
        self._prefix_lengths: Counter[int] = Counter()
        self._lengths: list[int] = []
        self._always: set[str] = set()

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, query_id: object) -> bool:
        return query_id in self._entries

    def add(self, query_id: str, tenant: str, query: CompiledQuery) -> None:
        """Adds the query, or replaces the one with the same id."""
        self.remove(query_id)
        self._entries[query_id] = _Entry(tenant, query)
        required = query.requirement
        if required is None:
            self._always.add(query_id)
            return
        for key in required.keys:
            self._by_key.setdefault(key, set()).add(query_id)
        for prefix in _prefix_keys(required):
            self._by_prefix.setdefault(prefix, set()).add(query_id)
            self._count_length(len(prefix), 1)

    def remove(self, query_id: str) -> bool:
        """Removes the query; False when no query has that id."""
        entry = self._entries.pop(query_id, None)
        if entry is None:
            return False
        required = entry.query.requirement
        if required is None:
            self._always.discard(query_id)
            return True
        for key in required.keys:
            _discard(self._by_key, key, query_id)
        for prefix in _prefix_keys(required):
            _discard(self._by_prefix, prefix, query_id)
            self._count_length(len(prefix), -1)
        return True

    def match(
        self, item: MatchableItem | AnalysedItem, tenants: Collection[str] | None = None
    ) -> list[str]:
        """The ids of the queries matching `item` (sorted), of `tenants` only when given."""
        analysed = analyse(item)
        entries = self._entries
        matched = []
        for query_id in self.candidates(analysed):
            entry = entries[query_id]
            if tenants is not None and entry.tenant not in tenants:
                continue
            if entry.query.predicate(analysed):
                matched.append(query_id)
        matched.sort()
        return matched

    def candidates(self, item: AnalysedItem) -> set[str]:
        """The queries whose requirement the item meets, and those without one."""
        found = set(self._always)
        by_key = self._by_key
        for key in by_key.keys() & item.keys:  # a C-level intersection, then only the hits
            found |= by_key[key]
        by_prefix = self._by_prefix
        for length in self._lengths:
            prefixes = {key[:length] for key in item.keys if len(key) >= length}
            for prefix in by_prefix.keys() & prefixes:
                found |= by_prefix[prefix]
        return found

    def _count_length(self, length: int, change: int) -> None:
        self._prefix_lengths[length] += change
        if self._prefix_lengths[length] <= 0:
            del self._prefix_lengths[length]
        self._lengths = sorted(self._prefix_lengths)


def _prefix_keys(required: Requirement) -> set[str]:
    return {prefix[:PREFIX_KEY_LENGTH] for prefix in required.prefixes}


def _discard(index: dict[str, set[str]], key: str, query_id: str) -> None:
    ids = index.get(key)
    if ids is not None:
        ids.discard(query_id)
        if not ids:
            del index[key]
