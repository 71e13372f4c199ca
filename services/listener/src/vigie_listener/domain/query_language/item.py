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


def _attribute_keys(item: MatchableItem, domains: list[str]) -> list[str]:
    """`site:` keys for each link's domain and its parents, then `lang:`, `author:`, `source:`."""
    if item.url:
        domains = [*domains, url_domain(item.url)]
    keys = list(
        {"site:" + site for domain in domains if domain for site in domain_suffixes(domain)}
    )
    if item.language:
        keys.append("lang:" + fold(item.language).replace("_", "-").split("-")[0])
    if item.author_handle:
        keys.append("author:" + normalise_handle(item.author_handle))
    if item.source:
        keys.append("source:" + fold(item.source))
    return keys


class AnalysedItem:
    """An item tokenised once: folded tokens for ordinary terms, raw ones for `raw:` terms.

    `keys` holds every folded token and tag and a `field:value` key per attribute (no token
    has a colon): presence tests, the matcher's index probes and exclusions all use it. Token
    positions, needed only by phrases, NEAR and wildcards, are computed on first use.
    """

    __slots__ = ("_positions", "_raw_tags", "_sorted", "_tags", "keys", "raw_words", "words")

    def __init__(self, item: MatchableItem) -> None:
        tokens = tokenize(item.text)
        self.raw_words = tokens.words
        self.words = fold_all(tokens.words)
        self._raw_tags = tokens.tags
        self._tags = tokens.tags
        if tokens.tags:
            folded = fold_all([tag for tag, _ in tokens.tags])
            self._tags = [(tag, i) for tag, (_, i) in zip(folded, tokens.tags, strict=True)]
        keys = set(self.words)
        keys.discard("")  # the gap between two runs of characters
        keys.update(tag for tag, _ in self._tags)
        keys.update(_attribute_keys(item, tokens.domains))
        self.keys = keys
        self._positions: list[dict[str, list[int]] | None] = [None, None]
        self._sorted: list[list[str] | None] = [None, None]

    def positions(self, raw: bool = False) -> dict[str, list[int]]:
        """Where each token and tag occurs (raw: as written, NFC), in token positions."""
        found = self._positions[raw]
        if found is None:
            words, tags = (self.raw_words, self._raw_tags) if raw else (self.words, self._tags)
            found = self._positions[raw] = _positions(words, tags)
        return found

    def _sorted_tokens(self, raw: bool) -> list[str]:
        found = self._sorted[raw]
        if found is None:
            found = self._sorted[raw] = sorted(self.positions(raw))
        return found

    def has_prefix(self, prefix: str, raw: bool) -> bool:
        """Whether a token starts with `prefix`: bisection in the sorted tokens."""
        tokens = self._sorted_tokens(raw)
        index = bisect_left(tokens, prefix)
        return index < len(tokens) and tokens[index].startswith(prefix)

    def prefix_positions(self, prefix: str, raw: bool) -> list[int]:
        """The positions of every token starting with `prefix`."""
        tokens = self._sorted_tokens(raw)
        positions = self.positions(raw)
        found: list[int] = []
        for index in range(bisect_left(tokens, prefix), len(tokens)):
            if not tokens[index].startswith(prefix):
                break
            found.extend(positions[tokens[index]])
        return found
