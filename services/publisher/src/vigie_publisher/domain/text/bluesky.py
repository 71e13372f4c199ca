"""Bluesky: graphemes and UTF-8 bytes, and the rich-text facets (links, mentions, hashtags).

Facets index the text in UTF-8 bytes, as `app.bsky.richtext.facet` wants. A mention facet
needs the account's DID: the handle is returned and the adapter resolves it.
"""

from dataclasses import dataclass

import regex

from vigie_publisher.domain.text.counting import Segment
from vigie_publisher.domain.text.tlds import COUNTRY_TLDS, GENERIC_TLDS

MAX_TAG_LENGTH = 64
_KNOWN_TLDS = COUNTRY_TLDS | GENERIC_TLDS
_GRAPHEME = regex.compile(r"\X")
# The detection rules of the AT Protocol's reference client (`RichText.detectFacets`).
_MENTION = regex.compile(r"(?:^|\s|\()@(?P<handle>[a-zA-Z0-9.\-]+)\b")
_LINK = regex.compile(
    r"(?:^|\s|\()(?P<link>(?:https?://\S+)|(?P<domain>[a-z][a-z0-9]*(?:\.[a-z0-9]+)+)\S*)",
    regex.IGNORECASE | regex.MULTILINE,
)
_NOT_IN_TAG = r"\s\u00ad\u2060\u200a\u200b\u200c\u200d\u20e2"
_TAG = regex.compile(
    rf"(?:^|\s)[#\uff03](?P<tag>(?!\ufe0f)[^{_NOT_IN_TAG}]*"
    rf"[^\d\p{{P}}{_NOT_IN_TAG}]+[^{_NOT_IN_TAG}]*)"
)
_TRAILING_PUNCTUATION = regex.compile(r"\p{P}+$")


@dataclass(frozen=True, slots=True)
class ByteSlice:
    """`text.encode()[byte_start:byte_end]` is the faceted span."""

    byte_start: int
    byte_end: int


@dataclass(frozen=True, slots=True)
class LinkFacet:
    index: ByteSlice
    uri: str


@dataclass(frozen=True, slots=True)
class MentionFacet:
    index: ByteSlice
    handle: str


@dataclass(frozen=True, slots=True)
class TagFacet:
    index: ByteSlice
    tag: str


Facet = LinkFacet | MentionFacet | TagFacet


def grapheme_segments(text: str) -> list[Segment]:
    return [Segment(m.start(), m.end(), 1) for m in _GRAPHEME.finditer(text)]


def byte_segments(text: str) -> list[Segment]:
    return [Segment(i, i + 1, len(c.encode("utf-8", "surrogatepass"))) for i, c in enumerate(text)]


def detect_facets(text: str) -> list[Facet]:
    """Links, mentions and hashtags, in the order they appear."""
    facets: list[Facet] = [*_mentions(text), *_links(text), *_tags(text)]
    return sorted(facets, key=lambda facet: facet.index.byte_start)


def _slice(text: str, start: int, end: int) -> ByteSlice:
    before = len(text[:start].encode("utf-8", "surrogatepass"))
    return ByteSlice(before, before + len(text[start:end].encode("utf-8", "surrogatepass")))


def is_known_domain(name: str) -> bool:
    """At least two labels, the last one a known TLD (`.test` too, for local networks)."""
    labels = name.lower().split(".")
    return len(labels) >= 2 and all(labels) and (labels[-1] in _KNOWN_TLDS or labels[-1] == "test")


def _mentions(text: str) -> list[MentionFacet]:
    return [
        MentionFacet(_slice(text, m.start("handle") - 1, m.end("handle")), m.group("handle"))
        for m in _MENTION.finditer(text)
        if is_known_domain(m.group("handle"))
    ]


def _links(text: str) -> list[LinkFacet]:
    facets: list[LinkFacet] = []
    for match in _LINK.finditer(text):
        written, start = match.group("link"), match.start("link")
        bare = match.group("domain") is not None
        if bare and not is_known_domain(match.group("domain")):
            continue
        # A sentence's full stop or a closing bracket around the link is not part of it.
        if written[-1] in ".,;:!?":
            written = written[:-1]
        if written.endswith(")") and "(" not in written:
            written = written[:-1]
        uri = f"https://{written}" if bare else written
        facets.append(LinkFacet(_slice(text, start, start + len(written)), uri))
    return facets


def _tags(text: str) -> list[TagFacet]:
    facets: list[TagFacet] = []
    for match in _TAG.finditer(text):
        tag = _TRAILING_PUNCTUATION.sub("", match.group("tag").strip())
        if not tag or len(tag) > MAX_TAG_LENGTH:
            continue
        start = match.start("tag") - 1
        facets.append(TagFacet(_slice(text, start, start + 1 + len(tag)), tag))
    return facets
