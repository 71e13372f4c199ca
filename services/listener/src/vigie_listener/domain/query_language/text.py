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

import re
import unicodedata
from dataclasses import dataclass

import regex

# Scripts written without spaces, with the kana prolonged-sound and iteration marks.
_NO_SPACE_SCRIPTS = (
    r"\p{Han}\p{Hiragana}\p{Katakana}\p{Thai}\p{Lao}\p{Khmer}\p{Myanmar}\u30FC\u3005"
)
_EMOJI_PART = r"\p{Extended_Pictographic}\p{Emoji_Modifier}?\uFE0F?"
# One pass over the text; the groups are: link, hashtag, handle, emoji, run of characters of
# a script without spaces, word. `findall` gives tuples, cheaper than match objects.
_TOKEN = regex.compile(
    r"((?:https?://|www\.)[^\s<>\"']+)"
    r"|(?<!\w)#(\w+)"
    r"|(?<![\w.])@(\w(?:[\w.-]*\w)?)"
    rf"|(\p{{Regional_Indicator}}{{2}}|{_EMOJI_PART}(?:\u200D{_EMOJI_PART})*)"
    rf"|([{_NO_SPACE_SCRIPTS}]+)"
    rf"|([\w--[{_NO_SPACE_SCRIPTS}]]+)",
    regex.V1,
)
# Most texts are in scripts where the standard library's `re` agrees with `regex` on `\w` and
# `\s`: the same pattern without the emoji and run groups is then four times faster.
_SIMPLE_TOKEN = re.compile(
    r"((?:https?://|www\.)[^\s<>\"']+)"
    r"|(?<!\w)#(\w+)"
    r"|(?<![\w.])@(\w(?:[\w.-]*\w)?)"
    r"|((?!))|((?!))"
    r"|(\w+)"
)
_SIMPLE_WORDS = re.compile(r"\w+")
_NOT_SIMPLE = re.compile(
    "[^\x00-\x1b\x20-\xb1\xb4-\xb8\xba\xbb\xbf-\u02ff"
    "\u2000-\u200b\u200e-\u203e\u2041-\u2053\u2055-\u206f]"
)
_GRAPHEME = regex.compile(r"\X")
# Folding the same tokens again and again is the hot path's main cost: remember them.
_FOLDED: dict[str, str] = {}
_FOLDED_MAX = 200_000


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
    """`fold` of each token, memoised (a text's tokens are mostly tokens already seen)."""
    folded = list(map(_FOLDED.get, tokens))
    if None not in folded:
        return folded  # type: ignore[return-value]  # no None left in it
    if len(_FOLDED) > _FOLDED_MAX:
        _FOLDED.clear()
    for index, token in enumerate(tokens):
        if folded[index] is None:
            folded[index] = _FOLDED[token] = fold(token)
    return folded  # type: ignore[return-value]  # every None replaced


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
    after_run = False
    text = nfc(text)
    simple = _NOT_SIMPLE.search(text) is None
    for link, hashtag, handle, emoji, run, word in (_SIMPLE_TOKEN if simple else _TOKEN).findall(
        text
    ):
        if word:
            words.append(word)
        elif run:
            if after_run:
                words.append("")  # a gap, so that a substring never spans two runs
            words.extend(_GRAPHEME.findall(run))
        elif emoji:
            words.append(emoji)
        elif link:
            domain = url_domain(link)
            if domain:
                domains.append(domain)
        else:
            tags.append(("#" + hashtag if hashtag else "@" + handle, len(words)))
            if simple:  # a simple hashtag is one word; a handle's words are split at . and -
                words.extend(_SIMPLE_WORDS.findall(handle) if handle else (hashtag,))
            else:
                words.extend(tokenize(hashtag or handle).words)
        after_run = bool(run)
    return Tokens(words, tags, domains)


def word_tokens(text: str) -> list[str]:
    """The raw word tokens of a query term or phrase (`#` and `@` are not words there)."""
    return tokenize(text).words


def is_tag(text: str) -> bool:
    """Whether `text` is a whole `#hashtag` or `@handle`, as the tokeniser finds them."""
    match = _TOKEN.fullmatch(nfc(text))
    return match is not None and bool(match.group(2) or match.group(3))


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
