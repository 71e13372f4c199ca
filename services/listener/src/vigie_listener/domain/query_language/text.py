"""Text normalisation and tokenisation, shared by queries and items so both sides agree.

A text becomes a list of word tokens, one per position (NEAR counts these positions):
- words are runs of letters, marks and digits in scripts written with spaces (`\\w`, so
  Devanagari vowel signs and Arabic letters stay inside their word);
- scripts written without spaces (Han, kana, Thai, Lao, Khmer, Myanmar) give one token per
  character (grapheme cluster), so a term in those scripts is a phrase of characters and
  matches as a substring of a run of characters (an empty token separates two runs);
- each emoji (with its modifiers and ZWJ sequence) is one token.
Hashtags and mentions add a tag (`#nike`, `@nike.bsky.social`) at the position of their first
word, and their body is tokenised as words too. Links are not words: only their domain is kept.
"""

import unicodedata
from dataclasses import dataclass

import regex  # type: ignore[import-untyped]  # no types-regex in the workspace yet

_NO_SPACE_SCRIPTS = r"\p{Han}\p{Hiragana}\p{Katakana}\p{Thai}\p{Lao}\p{Khmer}\p{Myanmar}"
_EMOJI_PART = r"\p{Extended_Pictographic}\p{Emoji_Modifier}?\uFE0F?"
_TOKEN = regex.compile(
    r"(?P<url>(?:https?://|www\.)[^\s<>\"']+)"
    r"|(?<!\w)#(?P<tag>\w+)"
    r"|(?<![\w.])@(?P<handle>\w(?:[\w.-]*\w)?)"
    rf"|(?P<emoji>\p{{Regional_Indicator}}{{2}}|{_EMOJI_PART}(?:\u200D{_EMOJI_PART})*)"
    rf"|(?P<char>(?=[{_NO_SPACE_SCRIPTS}])\X)"
    rf"|(?P<word>[\w--[{_NO_SPACE_SCRIPTS}]]+)",
    regex.V1,
)
_BODY = regex.compile(
    rf"(?P<char>(?=[{_NO_SPACE_SCRIPTS}])\X)|(?P<word>[\w--[{_NO_SPACE_SCRIPTS}]]+)",
    regex.V1,
)
# Separates tokens while folding them in one call; folding never creates or removes it.
_SEPARATOR = "\x00"


def _fold_table() -> dict[int, str | None]:
    """Accents off Latin, Greek and Cyrillic letters; optional Arabic marks; emoji variants."""
    table: dict[int, str | None] = {}
    for code in range(0x00C0, 0x0530):
        stripped = "".join(
            c for c in unicodedata.normalize("NFD", chr(code)) if not 0x0300 <= ord(c) <= 0x036F
        )
        if stripped != chr(code):
            table[code] = stripped
    table.update(
        {ord(k): v for k, v in {"ø": "o", "đ": "d", "ł": "l", "æ": "ae", "œ": "oe"}.items()}
    )
    deleted = [*range(0x0300, 0x0370), *range(0x064B, 0x0660), 0x0670, 0x0640, 0xFE0F]
    deleted += range(0x1F3FB, 0x1F400)  # skin tones: 👍🏽 matches 👍 unless raw:
    table.update(dict.fromkeys(deleted))
    # Arabic alef with hamza or madda, and alef maqsura, are commonly written without.
    table.update({0x0622: "\u0627", 0x0623: "\u0627", 0x0625: "\u0627", 0x0649: "\u064a"})
    return table


_FOLD = _fold_table()


def nfc(text: str) -> str:
    return text if text.isascii() else unicodedata.normalize("NFC", text)


def fold(text: str) -> str:
    """The case- and accent-insensitive form of an NFC text."""
    if text.isascii():
        return text.lower()
    return text.casefold().translate(_FOLD)


def fold_all(tokens: list[str]) -> list[str]:
    """Fold many tokens at once (one translate call instead of one per token)."""
    if not tokens:
        return []
    return fold(_SEPARATOR.join(tokens)).split(_SEPARATOR)


@dataclass(frozen=True, slots=True)
class Tokens:
    """Raw (NFC) tokens of a text; `tags` pairs each `#tag` / `@handle` with its position."""

    words: list[str]
    tags: list[tuple[str, int]]
    domains: list[str]


def tokenize(text: str) -> Tokens:
    words: list[str] = []
    tags: list[tuple[str, int]] = []
    domains: list[str] = []
    previous_char_end = -1
    for match in _TOKEN.finditer(nfc(text)):
        kind = match.lastgroup
        if kind == "url":
            domain = url_domain(match.group())
            if domain:
                domains.append(domain)
        elif kind in {"tag", "handle"}:
            prefix = "#" if kind == "tag" else "@"
            tags.append((prefix + match.group(kind), len(words)))
            words.extend(m.group() for m in _BODY.finditer(match.group(kind)))
        else:
            if kind == "char" and previous_char_end not in (-1, match.start()):
                words.append("")  # a gap, so that a substring never spans two runs
            words.append(match.group())
        previous_char_end = match.end() if kind == "char" else -1
    return Tokens(words, tags, domains)


def word_tokens(text: str) -> list[str]:
    """The raw word tokens of a query term or phrase (`#` and `@` are not words there)."""
    return tokenize(text).words


def is_tag(text: str) -> bool:
    """Whether `text` is a whole `#hashtag` or `@handle`, as the tokeniser finds them."""
    match = _TOKEN.fullmatch(nfc(text))
    return match is not None and match.lastgroup in ("tag", "handle")


def url_domain(url: str) -> str:
    """`https://www.Shop.Nike.com:443/x` -> `shop.nike.com` (lowercase, no `www.`)."""
    rest = url.split("://", 1)[-1]
    for stop in "/?#:":
        rest = rest.split(stop, 1)[0]
    host = rest.rsplit("@", 1)[-1].strip(".").lower()
    return host.removeprefix("www.")


def domain_suffixes(domain: str) -> list[str]:
    """`shop.nike.com` -> `shop.nike.com`, `nike.com`, `com`: a site matches its subdomains."""
    parts = domain.split(".")
    return [".".join(parts[i:]) for i in range(len(parts))]
