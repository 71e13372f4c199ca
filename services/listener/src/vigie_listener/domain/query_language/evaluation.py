"""Compiles a query tree into closures over an analysed item: no tree walk, no regex per query.

A predicate answers "does the item match"; a span function lists where the node occurs, as
(first, last) token positions, which is what NEAR and phrases need.
"""

from collections.abc import Callable

from vigie_listener.domain.query_language.ast import (
    And,
    Field,
    Near,
    Node,
    Not,
    Or,
    Wildcard,
    Words,
)
from vigie_listener.domain.query_language.item import AnalysedItem
from vigie_listener.domain.query_language.requirements import field_key

Predicate = Callable[[AnalysedItem], bool]
Span = tuple[int, int]
SpanFunction = Callable[[AnalysedItem], list[Span]]


def compile_predicate(node: Node) -> Predicate:
    if isinstance(node, Words) and len(node.tokens) == 1:
        return _token(node.tokens[0], node.raw)
    if isinstance(node, Words | Near):
        spans = compile_spans(node)
        return lambda item: bool(spans(item))
    if isinstance(node, Wildcard):
        prefix, raw = node.prefix, node.raw
        return lambda item: item.has_prefix(prefix, raw)
    if isinstance(node, Field):
        key = field_key(node)
        return lambda item: key in item.keys
    if isinstance(node, Not):
        operand = compile_predicate(node.operand)
        return lambda item: not operand(item)
    return _combination(node)


def _token(key: str, raw: bool) -> Predicate:
    if raw:
        return lambda item: key in item.positions(raw=True)
    return lambda item: key in item.keys


def _combination(node: And | Or) -> Predicate:
    """Nested two-operand closures: cheaper per call than `all()` over a generator."""
    if isinstance(node, Or):
        predicates = [compile_predicate(operand) for operand in node.operands]
    else:
        excluded = [(operand, _excluded_key(operand)) for operand in node.operands]
        predicates = [compile_predicate(operand) for operand, key in excluded if key is None]
        keys = frozenset(key for _, key in excluded if key is not None)
        if keys:  # `-a -b lang:x`: one set operation, not a closure per exclusion
            predicates.append(lambda item: keys.isdisjoint(item.keys))
    combined = predicates.pop()
    while predicates:
        other = predicates.pop()
        combined = _both(other, combined) if isinstance(node, And) else _either(other, combined)
    return combined


def _excluded_key(node: Node) -> str | None:
    """The index key whose presence alone falsifies `node`, when `node` is such a NOT."""
    if not isinstance(node, Not):
        return None
    excluded = node.operand
    if isinstance(excluded, Words) and len(excluded.tokens) == 1 and not excluded.raw:
        return excluded.tokens[0]
    return field_key(excluded) if isinstance(excluded, Field) else None


def _both(first: Predicate, second: Predicate) -> Predicate:
    return lambda item: first(item) and second(item)


def _either(first: Predicate, second: Predicate) -> Predicate:
    return lambda item: first(item) or second(item)


def compile_spans(node: Node) -> SpanFunction:
    if isinstance(node, Words):
        return _phrase_spans(node)
    if isinstance(node, Wildcard):
        prefix, raw = node.prefix, node.raw
        return lambda item: [(p, p) for p in item.prefix_positions(prefix, raw)]
    if isinstance(node, Or):
        alternatives = tuple(compile_spans(operand) for operand in node.operands)
        return lambda item: [span for spans in alternatives for span in spans(item)]
    if isinstance(node, Near):
        left, right = compile_spans(node.left), compile_spans(node.right)
        distance, ordered = node.distance, node.ordered
        return lambda item: _near(left(item), right(item), distance, ordered)
    raise TypeError(f"{type(node).__name__} has no word positions")  # the parser refuses these


def _phrase_spans(node: Words) -> SpanFunction:
    first, rest, raw = node.tokens[0], list(node.tokens[1:]), node.raw
    length = len(node.tokens)

    def spans(item: AnalysedItem) -> list[Span]:
        starts = item.positions(raw).get(first)
        if not starts:
            return []
        if not rest:
            return [(p, p) for p in starts]
        words = item.raw_words if raw else item.words
        return [(p, p + length - 1) for p in starts if words[p + 1 : p + length] == rest]

    return spans


def _near(left: list[Span], right: list[Span], distance: int, ordered: bool) -> list[Span]:
    """Pairs of non-overlapping spans with at most `distance` words between them."""
    found = []
    for left_start, left_end in left:
        for right_start, right_end in right:
            if left_end < right_start:
                gap = right_start - left_end - 1
            elif not ordered and right_end < left_start:
                gap = left_start - right_end - 1
            else:
                continue
            if gap <= distance:
                found.append((min(left_start, right_start), max(left_end, right_end)))
    return found
