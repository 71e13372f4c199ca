"""Find URLs, hashtags and mentions the way twitter-text does (indices are `str` offsets)."""

from dataclasses import dataclass

from vigie_publisher.domain.text import twitter_grammar as grammar

MAX_URL_LENGTH = 4096
MAX_TCO_SLUG_LENGTH = 40
MAX_DNS_LABEL_LENGTH = 63
_DEFAULT_PROTOCOL = "https://"


@dataclass(frozen=True, slots=True)
class Entity:
    """A span of the text: `text[start:end]` is the URL, or the hashtag/mention with its sign."""

    start: int
    end: int
    value: str
    list_slug: str = ""


def extract_urls(text: str, *, without_protocol: bool = True) -> list[Entity]:
    """URLs, with or without `http(s)://`; `value` is the URL as written."""
    if not text or ("." if without_protocol else ":") not in text:
        return []
    urls: list[Entity] = []
    for match in grammar.URL.finditer(text):
        url, domain = match.group("url"), match.group("domain")
        start, end = match.start("url"), match.end("url")
        protocol = match.group("protocol") or ""
        if not _host_and_length_are_valid(url, protocol or _DEFAULT_PROTOCOL, domain):
            continue
        if protocol:
            tco = grammar.TCO_URL.match(url)
            if tco is not None:
                # A t.co link takes no extra path, and its slug has a bounded length.
                if len(tco.group(1)) > MAX_TCO_SLUG_LENGTH:
                    continue
                url, end = tco.group(0), start + len(tco.group(0))
            urls.append(Entity(start, end, url))
        elif without_protocol and not grammar.INVALID_BEFORE_BARE_URL.search(match.group("before")):
            urls.extend(_bare_urls(url, start, end, domain, has_path=bool(match.group("path"))))
    return urls


def _bare_urls(url: str, start: int, end: int, domain: str, *, has_path: bool) -> list[Entity]:
    """Without a protocol, only the ASCII domains inside the matched domain count."""
    found: list[Entity] = []
    last: Entity | None = None
    search_from = 0
    for ascii_match in grammar.ASCII_DOMAIN.finditer(domain):
        ascii_domain = ascii_match.group(0)
        ascii_start = domain.index(ascii_domain, search_from)
        search_from = ascii_start + len(ascii_domain)
        last = Entity(start + ascii_start, start + search_from, ascii_domain)
        found.append(last)
    if last is not None and has_path:
        # The last domain carries the path and query that follow it.
        with_path = Entity(last.start, end, url.replace(domain, last.value, 1))
        found = [with_path if entity is last else entity for entity in found]
    return found


def _host_and_length_are_valid(url: str, protocol: str, domain: str) -> bool:
    """Every DNS label fits in 63 ASCII characters, and the URL in 4096."""
    if domain.startswith("xn--") and not grammar.ASCII_DOMAIN.search(domain):
        return False  # punycode is ASCII by definition
    for label in domain.split("."):
        try:
            encoded = label if label.isascii() else "xn--" + label.encode("punycode").decode()
        except UnicodeError:
            return False
        if not 1 <= len(encoded) <= MAX_DNS_LABEL_LENGTH:
            return False
    return len(protocol) + len(url) <= MAX_URL_LENGTH


def extract_hashtags(text: str, *, skip_urls: bool = True) -> list[Entity]:
    """Hashtags; `value` is the tag without `#`. Tags inside a URL are not hashtags."""
    if "#" not in text and "\uff03" not in text:
        return []
    tags: list[Entity] = []
    for match in grammar.HASHTAG.finditer(text):
        if grammar.HASHTAG_INVALID_END.match(text, match.end()):
            continue
        tags.append(Entity(match.start("hash"), match.end("tag"), match.group("tag")))
    if skip_urls and tags:
        tags = without_overlaps(tags, extract_urls(text))
    return tags


def extract_mentions_or_lists(text: str) -> list[Entity]:
    """`@name` and `@name/list`; `value` is the name, `list_slug` the `/list` part or ""."""
    if "@" not in text and "\uff20" not in text:
        return []
    found: list[Entity] = []
    for match in grammar.MENTION_OR_LIST.finditer(text):
        if grammar.MENTION_INVALID_END.match(text, match.end()):
            continue
        slug = match.group("list") or ""
        end = match.end("list") if slug else match.end("name")
        found.append(Entity(match.start("at"), end, match.group("name"), slug))
    return found


def extract_mentions(text: str) -> list[Entity]:
    """`@name` mentions (lists left out); `value` is the name without `@`."""
    return [entity for entity in extract_mentions_or_lists(text) if not entity.list_slug]


def extract_reply(text: str) -> str | None:
    """The name a text replies to: an `@name` at its very beginning."""
    match = grammar.REPLY.match(text)
    if match is None or grammar.MENTION_INVALID_END.match(text, match.end()):
        return None
    return match.group("name")


def without_overlaps(kept: list[Entity], others: list[Entity]) -> list[Entity]:
    """`kept` minus the entities that overlap an earlier-starting or equal entity of `others`.

    twitter-text sorts every entity by start and drops each one that overlaps the previous
    survivor; the URL wins over a hashtag or mention found inside it.
    """
    survivors: list[tuple[Entity, bool]] = []
    for entity, is_kept in sorted(
        [(e, True) for e in kept] + [(e, False) for e in others], key=lambda pair: pair[0].start
    ):
        if survivors and survivors[-1][0].end > entity.start:
            continue
        survivors.append((entity, is_kept))
    return [entity for entity, is_kept in survivors if is_kept]
