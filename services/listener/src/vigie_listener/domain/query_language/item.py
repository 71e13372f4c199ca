"""The item a query is matched against, and its analysis (done once, shared by every query)."""

from bisect import bisect_left
from dataclasses import dataclass

from vigie_listener.domain.query_language.text import (
    domain_suffixes,
    fold,
    fold_all,
    tokenize,
    url_domain,
)


@dataclass(frozen=True, slots=True)
class MatchableItem:
    """What the matcher needs of a mention; hashtags, mentions and links come from `text`."""

    text: str
    language: str | None = None
    author_handle: str | None = None
    source: str | None = None
    url: str | None = None


def _positions(words: list[str], tags: list[tuple[str, int]]) -> dict[str, list[int]]:
    positions: dict[str, list[int]] = {}
    for index, word in enumerate(words):
        found = positions.get(word)
        if found is None:
            positions[word] = [index]
        else:
            found.append(index)
    positions.pop("", None)  # the gaps between runs of characters are no token
    for tag, index in tags:
        positions.setdefault(tag, []).append(index)
    return positions


def normalise_handle(handle: str) -> str:
    return fold(handle).removeprefix("@")


class AnalysedItem:
    """An item tokenised once: folded tokens for ordinary terms, raw ones for `raw:` terms.

    `index_keys` are what the matcher's inverted index is probed with: every folded token and
    tag, plus `site:`, `lang:`, `author:` and `source:` keys for the item's attributes.
    """

    __slots__ = (
        "_raw_positions",
        "_raw_sorted",
        "_raw_tags",
        "_sorted",
        "author",
        "index_keys",
        "language",
        "positions",
        "raw_words",
        "sites",
        "source",
        "words",
    )

    def __init__(self, item: MatchableItem) -> None:
        tokens = tokenize(item.text)
        self.raw_words = tokens.words
        self._raw_tags = tokens.tags
        self.words = fold_all(tokens.words)
        folded_tags = fold_all([tag for tag, _ in tokens.tags])
        tags = [(tag, index) for tag, (_, index) in zip(folded_tags, tokens.tags, strict=True)]
        self.positions = _positions(self.words, tags)
        self._sorted: list[str] | None = None
        self._raw_positions: dict[str, list[int]] | None = None
        self._raw_sorted: list[str] | None = None
        self._attributes(item, tokens.domains)

    def _attributes(self, item: MatchableItem, domains: list[str]) -> None:
        if item.url:
            domains = [*domains, url_domain(item.url)]
        self.sites = frozenset(s for d in domains if d for s in domain_suffixes(d))
        self.language = fold(item.language).split("-")[0] if item.language else None
        self.author = normalise_handle(item.author_handle) if item.author_handle else None
        self.source = fold(item.source) if item.source else None
        keys = set(self.positions)
        if self.sites:
            keys.update("site:" + site for site in self.sites)
        if self.language:
            keys.add("lang:" + self.language)
        if self.author:
            keys.add("author:" + self.author)
        if self.source:
            keys.add("source:" + self.source)
        self.index_keys = keys

    def raw_positions(self) -> dict[str, list[int]]:
        if self._raw_positions is None:
            self._raw_positions = _positions(self.raw_words, self._raw_tags)
        return self._raw_positions

    def _sorted_keys(self, raw: bool) -> list[str]:
        if raw:
            if self._raw_sorted is None:
                self._raw_sorted = sorted(self.raw_positions())
            return self._raw_sorted
        if self._sorted is None:
            self._sorted = sorted(self.positions)
        return self._sorted

    def has_prefix(self, prefix: str, raw: bool) -> bool:
        """Whether a token starts with `prefix`: bisection in the sorted token keys."""
        keys = self._sorted_keys(raw)
        index = bisect_left(keys, prefix)
        return index < len(keys) and keys[index].startswith(prefix)

    def prefix_positions(self, prefix: str, raw: bool) -> list[int]:
        """The positions of every token starting with `prefix`."""
        keys = self._sorted_keys(raw)
        positions = self.raw_positions() if raw else self.positions
        found: list[int] = []
        for index in range(bisect_left(keys, prefix), len(keys)):
            if not keys[index].startswith(prefix):
                break
            found.extend(positions[keys[index]])
        return found
