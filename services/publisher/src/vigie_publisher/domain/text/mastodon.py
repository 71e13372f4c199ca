"""Mastodon's count: a URL is 23 characters, `@user@domain` is `@user`, the rest graphemes."""

import regex

from vigie_publisher.domain.text.counting import Segment
from vigie_publisher.domain.text.twitter_extract import Entity, extract_urls, without_overlaps

URL_LENGTH = 23
# Mastodon's mention grammar: a local or a remote (`@user@domain`) account.
MENTION = regex.compile(
    r"(?<![=/\w])@(?P<user>[a-z0-9_]+(?:[a-z0-9_.\-]+[a-z0-9_]+)?)(?:@[\w.\-]+\w)?",
    regex.IGNORECASE,
)
_GRAPHEME = regex.compile(r"\X")


def mastodon_mentions(text: str) -> list[Entity]:
    return [Entity(m.start(), m.end(), m.group("user")) for m in MENTION.finditer(text)]


def mastodon_segments(text: str) -> list[Segment]:
    """URLs (with a protocol, as Mastodon links them) and mentions, graphemes in between."""
    urls = extract_urls(text, without_protocol=False)
    mentions = without_overlaps(mastodon_mentions(text), urls)
    entities = sorted([*urls, *mentions], key=lambda entity: entity.start)
    url_starts = {url.start for url in urls}
    segments: list[Segment] = []
    index = 0
    for entity in entities:
        segments.extend(_graphemes(text, index, entity.start))
        weight = URL_LENGTH if entity.start in url_starts else 1 + len(entity.value)
        segments.append(Segment(entity.start, entity.end, weight))
        index = entity.end
    segments.extend(_graphemes(text, index, len(text)))
    return segments


def _graphemes(text: str, start: int, end: int) -> list[Segment]:
    return [Segment(m.start(), m.end(), 1) for m in _GRAPHEME.finditer(text, start, end)]
