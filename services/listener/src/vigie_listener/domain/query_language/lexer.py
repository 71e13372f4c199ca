"""Splits a query into lexemes, each with the character position it starts at.

Operators are upper case (`AND`, `OR`, `NOT`, `NEAR/3`, `NEAR/3f`) so that `and` stays a word;
`-` before a term, a phrase or `(` means NOT. A bare word runs until a space, a parenthesis or
a quote; `field:` before a word or a phrase qualifies it (`lang:fr`, `raw:"Air Max"`).
"""

import re
from dataclasses import dataclass
from typing import Literal

from vigie_listener.domain.query_language.errors import QuerySyntaxError

LexemeKind = Literal["(", ")", "AND", "OR", "NOT", "-", "NEAR", "TERM", "PHRASE", "END"]
FIELDS = frozenset({"lang", "author", "site", "domain", "source", "raw"})
_NEAR = re.compile(r"NEAR/(\d{1,6})(f?)")
_FIELD = re.compile(r"([a-z]+):")
_BARE_END = frozenset(' \t\r\n\f\v()"')


@dataclass(frozen=True, slots=True)
class Lexeme:
    kind: LexemeKind
    position: int
    text: str = ""
    field: str | None = None
    value_position: int = 0
    distance: int = 0
    ordered: bool = False


def describe(lexeme: Lexeme) -> str:
    """How an error message names a lexeme: `AND`, `NEAR/3`, `'('`, `end of query`."""
    if lexeme.kind == "END":
        return "end of query"
    if lexeme.kind in ("TERM", "PHRASE"):
        return f"term '{lexeme.text}'" if lexeme.kind == "TERM" else f'phrase "{lexeme.text}"'
    if lexeme.kind == "NEAR":
        return f"NEAR/{lexeme.distance}{'f' if lexeme.ordered else ''}"
    return f"'{lexeme.kind}'" if lexeme.kind in "()-" else lexeme.kind


def _phrase(query: str, quote: int, start: int, field: str | None) -> tuple[Lexeme, int]:
    end = query.find('"', quote + 1)
    if end < 0:
        raise QuerySyntaxError(len(query), f"expected '\"' to close the phrase opened at {quote}")
    return Lexeme("PHRASE", start, query[quote + 1 : end], field, quote + 1), end + 1


def _bare(query: str, start: int) -> tuple[Lexeme, int]:
    end = start
    while end < len(query) and query[end] not in _BARE_END:
        end += 1
    word = query[start:end]
    if word in ("AND", "OR", "NOT"):
        return Lexeme(word, start), end  # type: ignore[arg-type]  # the three are LexemeKinds
    if word.startswith("NEAR"):
        near = _NEAR.fullmatch(word)
        if near is None:
            raise QuerySyntaxError(start, "expected NEAR/<n> or NEAR/<n>f, n a whole number")
        return Lexeme("NEAR", start, distance=int(near[1]), ordered=bool(near[2])), end
    field = _FIELD.match(word)
    if field is None or field[1] not in FIELDS:
        return Lexeme("TERM", start, word, None, start), end
    value_start = field.end() + start
    if value_start == end and end < len(query) and query[end] == '"':
        return _phrase(query, end, start, field[1])
    if value_start == end:
        raise QuerySyntaxError(value_start, f"expected a value after '{field[0]}'")
    return Lexeme("TERM", start, query[value_start:end], field[1], value_start), end


def lex(query: str) -> list[Lexeme]:
    lexemes: list[Lexeme] = []
    index = 0
    while index < len(query):
        char = query[index]
        if char.isspace():
            index += 1
        elif char in "()":
            lexemes.append(Lexeme(char, index))  # type: ignore[arg-type]  # "(" or ")"
            index += 1
        elif char == '"':
            lexeme, index = _phrase(query, index, index, None)
            lexemes.append(lexeme)
        elif char == "-":
            if index + 1 == len(query) or query[index + 1].isspace():
                raise QuerySyntaxError(index + 1, "expected a term or '(' after '-'")
            lexemes.append(Lexeme("-", index))
            index += 1
        else:
            lexeme, index = _bare(query, index)
            lexemes.append(lexeme)
    lexemes.append(Lexeme("END", len(query)))
    return lexemes
