"""twitter-text's validity checks for a tweet, a username, a list, a hashtag and a URL."""

import regex

from vigie_publisher.domain.text import twitter_grammar as grammar
from vigie_publisher.domain.text.twitter_extract import extract_hashtags, extract_mentions
from vigie_publisher.domain.text.twitter_length import V1, parse_tweet

_FLAGS = regex.IGNORECASE | regex.VERSION0

# URL validation follows the ABNF of RFC 3986, somewhat stricter on host names.
_UNRESERVED = rf"[a-z{grammar.CYRILLIC}0-9\-._~]"
_PCT_ENCODED = r"(?:%[0-9a-f]{2})"
_SUB_DELIMS = r"[!$&'()*+,;=]"
_PCHAR = rf"(?:{_UNRESERVED}|{_PCT_ENCODED}|{_SUB_DELIMS}|[:|@])"
_DEC_OCTET = r"(?:[0-9]|(?:[1-9][0-9])|(?:1[0-9]{2})|(?:2[0-4][0-9])|(?:25[0-5]))"
_IP = rf"(?:{_DEC_OCTET}(?:\.{_DEC_OCTET}){{3}}|\[[a-f0-9:.]+\])"
_ALNUM_OR_WIDE = r"(?:[a-z0-9]|[^\x00-\x7f])"
_SUBDOMAIN = rf"(?:{_ALNUM_OR_WIDE}(?:(?:[a-z0-9_\-]|[^\x00-\x7f])*{_ALNUM_OR_WIDE})?)"
_DOMAIN = rf"(?:{_ALNUM_OR_WIDE}(?:(?:[a-z0-9\-]|[^\x00-\x7f])*{_ALNUM_OR_WIDE})?)"
_TLD = rf"(?:(?:[a-z]|[^\x00-\x7f])(?:(?:[a-z0-9\-]|[^\x00-\x7f])*{_ALNUM_OR_WIDE})?)"
_HOST = rf"(?:{_IP}|(?:(?:{_SUBDOMAIN}\.)*(?:{_DOMAIN}\.){_TLD}))"
_USERINFO = rf"(?:{_UNRESERVED}|{_PCT_ENCODED}|{_SUB_DELIMS}|:)*"

_URL_PARTS = regex.compile(
    r"(?:(?P<scheme>[^:/?#]+)://)?(?P<authority>[^/?#]*)(?P<path>[^?#]*)"
    r"(?:\?(?P<query>[^#]*))?(?:#(?P<fragment>.*))?",
    _FLAGS,
)
_SCHEME = regex.compile(r"https?", _FLAGS)
_AUTHORITY = regex.compile(rf"(?:{_USERINFO}@)?{_HOST}(?::[0-9]{{1,5}})?", _FLAGS)
_PATH = regex.compile(rf"(?:/{_PCHAR}*)*", _FLAGS)
_QUERY_OR_FRAGMENT = regex.compile(rf"(?:{_PCHAR}|/|\?)*", _FLAGS)


def _first_match_is_whole(pattern: regex.Pattern[str], text: str | None) -> bool:
    # twitter-text accepts a part when the regex's first match is the whole part.
    if text is None:
        return False
    match = pattern.match(text)
    return match is not None and match.group(0) == text


def is_valid_url(url: str, *, require_protocol: bool = True) -> bool:
    """A well-formed http(s) URL (a bare domain too when `require_protocol` is False)."""
    parts = _URL_PARTS.fullmatch(url)
    if not url or parts is None:
        return False
    scheme, query, fragment = parts.group("scheme"), parts.group("query"), parts.group("fragment")
    return (
        (not require_protocol or _first_match_is_whole(_SCHEME, scheme))
        and _first_match_is_whole(_PATH, parts.group("path"))
        and (query is None or _first_match_is_whole(_QUERY_OR_FRAGMENT, query))
        and (fragment is None or _first_match_is_whole(_QUERY_OR_FRAGMENT, fragment))
        and _first_match_is_whole(_AUTHORITY, parts.group("authority"))
    )


def is_valid_tweet_text(text: str) -> bool:
    """twitter-text's legacy check: not empty, at most 140 characters, no invalid character."""
    return parse_tweet(text, V1).valid


def is_valid_username(text: str) -> bool:
    """`@name` and nothing else."""
    mentions = extract_mentions(text)
    return len(mentions) == 1 and mentions[0].value == text[1:]


def is_valid_list(text: str) -> bool:
    """`@name/list` and nothing else."""
    match = grammar.MENTION_OR_LIST.fullmatch(text)
    return match is not None and match.group("before") == "" and bool(match.group("list"))


def is_valid_hashtag(text: str) -> bool:
    """`#tag` and nothing else."""
    tags = extract_hashtags(text)
    return len(tags) == 1 and tags[0].value == text[1:]
