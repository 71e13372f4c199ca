"""Recursive-descent parser for listening queries.

Precedence, tightest first: NOT (and `-`) > NEAR/n > AND (explicit or implied between adjacent
terms) > OR. So `a b OR c` is `(a AND b) OR c`, `a OR b NEAR/2 c` is `a OR (b NEAR/2 c)`, and
`-a b` is `(NOT a) AND b`. NEAR needs positions on both sides: a term, a phrase, a wildcard,
another NEAR, or a parenthesised OR of those.

    query := or
    or    := and ("OR" and)*
    and   := near (["AND"] near)*
    near  := unary ("NEAR/n" | "NEAR/nf" unary)*
    unary := ("NOT" | "-") unary | "(" or ")" | term | phrase | field:value
"""

from vigie_listener.domain.query_language.ast import And, Near, Node, Not, Or, is_positional
from vigie_listener.domain.query_language.errors import (
    MAX_NESTING,
    MAX_QUERY_LENGTH,
    MAX_TERMS,
    QueryLimitError,
    QuerySyntaxError,
)
from vigie_listener.domain.query_language.leaves import leaf
from vigie_listener.domain.query_language.lexer import Lexeme, describe, lex

_STARTS_OPERAND = frozenset({"TERM", "PHRASE", "(", "NOT", "-"})


def parse(query: str) -> Node:
    """The tree of `query`, or `QuerySyntaxError` naming the position and what was expected."""
    if len(query) > MAX_QUERY_LENGTH:
        raise QueryLimitError(
            MAX_QUERY_LENGTH,
            f"expected at most {MAX_QUERY_LENGTH} characters (the query has {len(query)})",
            MAX_QUERY_LENGTH,
        )
    return _Parser(lex(query)).parse()


class _Parser:
    def __init__(self, lexemes: list[Lexeme]) -> None:
        self._lexemes = lexemes
        self._at = 0
        self._depth = 0
        self._terms = 0

    def parse(self) -> Node:
        node = self._or(None)
        rest = self._peek()
        if rest.kind == ")":
            raise QuerySyntaxError(
                rest.position,
                "expected a term, an operator or the end, found ')' with no '(' to close",
            )
        return node

    def _peek(self) -> Lexeme:
        return self._lexemes[self._at]

    def _take(self) -> Lexeme:
        lexeme = self._lexemes[self._at]
        if lexeme.kind != "END":
            self._at += 1
        return lexeme

    def _or(self, after: Lexeme | None) -> Node:
        operands = [self._and(after)]
        while self._peek().kind == "OR":
            operator = self._take()
            operands.append(self._and(operator))
        return _flat(Or, operands)

    def _and(self, after: Lexeme | None) -> Node:
        operands = [self._near(after)]
        while True:
            kind = self._peek().kind
            if kind == "AND":
                operands.append(self._near(self._take()))
            elif kind in _STARTS_OPERAND:
                operands.append(self._near(None))
            else:
                return _flat(And, operands)

    def _near(self, after: Lexeme | None) -> Node:
        start = self._peek()
        left = self._unary(after)
        while self._peek().kind == "NEAR":
            operator = self._take()
            right_start = self._peek()
            right = self._unary(operator)
            for side, at, word in ((left, start, "before"), (right, right_start, "after")):
                if not is_positional(side):
                    raise QuerySyntaxError(
                        at.position,
                        f"expected a term, a phrase, a wildcard or an OR of them {word} "
                        + describe(operator),
                    )
            left = Near(left, right, operator.distance, operator.ordered)
        return left

    def _unary(self, after: Lexeme | None) -> Node:
        lexeme = self._peek()
        if lexeme.kind not in ("NOT", "-"):
            return self._primary(after)
        self._take()
        self._enter(lexeme)
        operand = self._unary(lexeme)
        self._depth -= 1
        return Not(operand)

    def _primary(self, after: Lexeme | None) -> Node:
        lexeme = self._take()
        if lexeme.kind in ("TERM", "PHRASE"):
            self._terms += 1
            if self._terms > MAX_TERMS:
                raise QueryLimitError(
                    lexeme.position, f"expected at most {MAX_TERMS} terms", MAX_TERMS
                )
            return leaf(lexeme)
        if lexeme.kind == "(":
            self._enter(lexeme)
            node = self._or(lexeme)
            close = self._take()
            if close.kind != ")":
                raise QuerySyntaxError(
                    close.position, f"expected ')' to close the '(' at position {lexeme.position}"
                )
            self._depth -= 1
            return node
        if after is None:
            raise QuerySyntaxError(
                lexeme.position, f"expected a term or '(', found {describe(lexeme)}"
            )
        raise QuerySyntaxError(lexeme.position, f"expected a term or '(' after {describe(after)}")

    def _enter(self, lexeme: Lexeme) -> None:
        self._depth += 1
        if self._depth > MAX_NESTING:
            raise QueryLimitError(
                lexeme.position,
                f"expected at most {MAX_NESTING} nested parentheses or NOTs",
                MAX_NESTING,
            )


def _flat(kind: type[And] | type[Or], operands: list[Node]) -> Node:
    """One operand stays itself; nested operators of the same kind merge: `(a OR b) OR c`."""
    if len(operands) == 1:
        return operands[0]
    merged: list[Node] = []
    for operand in operands:
        merged.extend(operand.operands if isinstance(operand, kind) else (operand,))
    return kind(tuple(merged))
