"""Turns a term, a phrase or a `field:value` lexeme into a leaf of the query tree."""

import re

from vigie_listener.domain.query_language.ast import Field, Node, Wildcard, Words
from vigie_listener.domain.query_language.errors import QuerySyntaxError
from vigie_listener.domain.query_language.lexer import Lexeme
from vigie_listener.domain.query_language.text import fold, fold_all, is_tag, nfc, word_tokens

MIN_WILDCARD_PREFIX = 2
_LANGUAGE = re.compile(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})?")
_HANDLE = re.compile(r"@?[\w.-]+")
_DOMAIN = re.compile(r"(?:https?://)?[\w-]+(?:\.[\w-]+)*\.?/?")
_SOURCE = re.compile(r"[\w-]+")


def leaf(lexeme: Lexeme) -> Node:
    field = lexeme.field
    if field is None or field == "raw":
        return _words(lexeme, raw=field == "raw")
    value, at = lexeme.text, lexeme.value_position
    if field == "lang":
        _check(_LANGUAGE, value, at, "a language code such as 'fr' after 'lang:'")
        return Field("lang", fold(value).replace("_", "-").split("-")[0])
    if field == "author":
        _check(_HANDLE, value, at, "a handle after 'author:'")
        return Field("author", fold(nfc(value)).removeprefix("@"))
    if field == "source":
        _check(_SOURCE, value, at, "a source name such as 'bluesky' after 'source:'")
        return Field("source", fold(value))
    _check(_DOMAIN, value, at, f"a domain such as 'example.com' after '{field}:'")
    domain = value.split("://", 1)[-1].strip("./").lower().removeprefix("www.")
    return Field("site", domain)


def _check(pattern: re.Pattern[str], value: str, position: int, expected: str) -> None:
    if pattern.fullmatch(value) is None:
        raise QuerySyntaxError(position, "expected " + expected)


def _words(lexeme: Lexeme, raw: bool) -> Node:
    text, at = nfc(lexeme.text), lexeme.value_position
    quoted = lexeme.kind == "PHRASE"
    if not quoted and "*" in text:
        return _wildcard(text, at, raw)
    if not quoted and is_tag(text):
        return Words(text, (text if raw else fold(text),), raw)
    tokens = word_tokens(text)
    if not tokens:
        raise QuerySyntaxError(at, "expected a term with a letter, a digit or an emoji")
    return Words(text, tuple(tokens if raw else fold_all(tokens)), raw, quoted)


def _wildcard(text: str, at: int, raw: bool) -> Wildcard:
    star = text.index("*")
    if star != len(text) - 1:
        raise QuerySyntaxError(at + star, "expected '*' only at the end of a term")
    stem = text[:-1]
    sigil = stem[:1] if stem[:1] in ("#", "@") else ""
    tokens = word_tokens(stem[len(sigil) :])
    if len(tokens) != 1 or tokens[0] != stem[len(sigil) :]:
        raise QuerySyntaxError(at, "expected a single word before '*'")
    prefix = stem if raw else fold(stem)
    if len(prefix) - len(sigil) < MIN_WILDCARD_PREFIX:
        raise QuerySyntaxError(at, f"expected at least {MIN_WILDCARD_PREFIX} characters before '*'")
    return Wildcard(stem, prefix, raw)
