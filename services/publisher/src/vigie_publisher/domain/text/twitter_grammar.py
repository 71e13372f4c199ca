"""The grammar twitter-text uses to find URLs, hashtags and mentions, as `regex` patterns.

Written from twitter-text's published rules (v3); the conformance suite checks it.
"""

from collections.abc import Iterable

import regex

from vigie_publisher.domain.text.tlds import COUNTRY_TLDS, GENERIC_TLDS

_FLAGS = regex.IGNORECASE | regex.VERSION0

DIRECTIONAL = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
INVALID = "\ufffe\ufeff\uffff"
SPACES = "\t-\r \x85\xa0\u1680\u180e\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
LATIN_ACCENTS = (
    "\xc0-\xd6\xd8-\xf6\xf8-\xff\u0100-\u024f\u0253\u0254\u0256\u0257\u0259\u025b\u0263"
    "\u0268\u026f\u0272\u0289\u028b\u02bb\u0300-\u036f\u1e00-\u1eff"
)
CYRILLIC = "\u0400-\u04ff"
_ASCII_PUNCTUATION = regex.escape("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~", special_only=False)


def _alternation(names: Iterable[str]) -> str:
    # Longest first, so that a TLD never loses to one of its own prefixes.
    ordered = sorted(names, key=lambda name: (-len(name), name))
    return "|".join(regex.escape(name) for name in ordered)


# A TLD ends where no letter, digit, `@`, `+` or `-` follows.
GTLD = rf"(?:(?:{_alternation(GENERIC_TLDS)})(?=[^0-9a-z@+\-]|$))"
CCTLD = rf"(?:(?:{_alternation(COUNTRY_TLDS)})(?=[^0-9a-z@+\-]|$))"
PUNYCODE = r"(?:xn--[\-0-9a-z]+)"

_DOMAIN_CHAR = rf"[^{_ASCII_PUNCTUATION}{SPACES}{INVALID}{DIRECTIONAL}\x00-\x1f\x7f]"
SUBDOMAIN = rf"(?:(?:{_DOMAIN_CHAR}(?:[_\-]|{_DOMAIN_CHAR})*)?{_DOMAIN_CHAR}\.)"
DOMAIN_NAME = rf"(?:(?:{_DOMAIN_CHAR}(?:-|{_DOMAIN_CHAR})*)?{_DOMAIN_CHAR}\.)"
DOMAIN = rf"(?:{SUBDOMAIN}*{DOMAIN_NAME}(?:{GTLD}|{CCTLD}|{PUNYCODE}))"

_PATH_CHAR = rf"[a-z{CYRILLIC}0-9!*';:=+,.$/%#\[\]\-\u2013_~@|&{LATIN_ACCENTS}]"
# Up to two nested levels of balanced parentheses, as in /wiki/Primer_(film).
_BALANCED_PARENS = rf"\((?:{_PATH_CHAR}+|(?:{_PATH_CHAR}*\({_PATH_CHAR}+\){_PATH_CHAR}*))\)"
# A path does not end on punctuation, so "see example.com/foo." leaves the full stop out.
_PATH_ENDING = rf"(?:[+\-a-z{CYRILLIC}0-9=_#/{LATIN_ACCENTS}]|(?:{_BALANCED_PARENS}))"
_PATH = (
    rf"(?:(?:{_PATH_CHAR}*(?:{_BALANCED_PARENS}{_PATH_CHAR}*)*{_PATH_ENDING})"
    rf"|(?:@{_PATH_CHAR}+/))"
)
_QUERY_CHAR = r"[a-z0-9!?*'@();:&=+$/%#\[\]\-_.,~|]"
_QUERY_ENDING = r"[a-z0-9\-_&=#/]"
_URL_PRECEDING = rf"(?:[^a-z0-9@\uff20$#\uff03{INVALID}]|^)"

URL = regex.compile(
    rf"(?P<before>{_URL_PRECEDING})"
    r"(?P<url>"
    r"(?P<protocol>https?://)?"
    rf"(?P<domain>{DOMAIN})"
    r"(?::(?P<port>[0-9]++))?"
    rf"(?P<path>/{_PATH}*+)?"
    rf"(?P<query>\?{_QUERY_CHAR}*{_QUERY_ENDING})?"
    r")",
    _FLAGS,
)
ASCII_DOMAIN = regex.compile(
    rf"(?:(?:[\-a-z0-9{LATIN_ACCENTS}]+)\.)+(?:{GTLD}|{CCTLD}|{PUNYCODE})", _FLAGS
)
INVALID_BEFORE_BARE_URL = regex.compile(r"[\-_./]$")
TCO_URL = regex.compile(rf"^https?://t\.co/([a-z0-9]+)(?:\?{_QUERY_CHAR}*{_QUERY_ENDING})?", _FLAGS)

_HASHTAG_LETTER = r"\p{L}\p{M}"
_HASHTAG_LETTER_OR_NUMBER = (
    _HASHTAG_LETTER + r"\p{Nd}"
    "_\u200c\u200d\ua67e\u05be\u05f3\u05f4\uff5e\u301c\u309b\u309c\u30a0\u30fb\u3003\u0f0b\u0f0c\xb7"
)
HASHTAG = regex.compile(
    rf"(?P<before>^|\ufe0e|\ufe0f|[^&{_HASHTAG_LETTER_OR_NUMBER}])"
    r"(?P<hash>[#\uff03])(?!\ufe0f|\u20e3)"
    rf"(?P<tag>[{_HASHTAG_LETTER_OR_NUMBER}]*[{_HASHTAG_LETTER}][{_HASHTAG_LETTER_OR_NUMBER}]*)",
    _FLAGS,
)
# Matched right after a hashtag or mention (no `^`: `match(text, pos)` anchors at `pos`).
HASHTAG_INVALID_END = regex.compile(r"(?:[#\uff03]|://)")

_MENTION_PRECEDING = r"(?:^|[^a-z0-9_!#$%&*@\uff20]|(?:^|[^a-z0-9_+~.\-])rt:?)"
MENTION_OR_LIST = regex.compile(
    rf"(?P<before>{_MENTION_PRECEDING})"
    r"(?P<at>[@\uff20])"
    r"(?P<name>[a-z0-9_]{1,20})"
    r"(?P<list>/[a-z][a-z0-9_\-]{0,24})?",
    _FLAGS,
)
MENTION_INVALID_END = regex.compile(rf"(?:[@\uff20{LATIN_ACCENTS}]|://)", _FLAGS)
REPLY = regex.compile(rf"^(?:[{SPACES}{DIRECTIONAL}])*[@\uff20](?P<name>[a-z0-9_]{{1,20}})", _FLAGS)
