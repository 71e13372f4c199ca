"""The parsed form of a listening query, and its canonical, fully parenthesised spelling."""

from dataclasses import dataclass
from typing import Literal, TypeAlias

FieldName = Literal["lang", "author", "site", "source"]


@dataclass(frozen=True, slots=True)
class Words:
    """A term, a `"phrase"`, a `#hashtag` or an `@handle`: tokens at consecutive positions.

    `tokens` are folded (case and accents off) unless `raw`; `text` is the spelling as written.
    A term that tokenises into several tokens (`e-commerce`, `東京`) is a phrase too.
    """

    text: str
    tokens: tuple[str, ...]
    raw: bool = False
    quoted: bool = False


@dataclass(frozen=True, slots=True)
class Wildcard:
    """`prefix*`: any token starting with `prefix` (folded unless `raw`)."""

    text: str
    prefix: str
    raw: bool = False


@dataclass(frozen=True, slots=True)
class Field:
    """`lang:fr`, `author:handle`, `site:example.com` (or `domain:`), `source:bluesky`."""

    name: FieldName
    value: str


@dataclass(frozen=True, slots=True)
class Not:
    operand: "Node"


@dataclass(frozen=True, slots=True)
class And:
    operands: tuple["Node", ...]


@dataclass(frozen=True, slots=True)
class Or:
    operands: tuple["Node", ...]


@dataclass(frozen=True, slots=True)
class Near:
    """Both sides at most `distance` words apart (words between them); `ordered`: left first."""

    left: "Node"
    right: "Node"
    distance: int
    ordered: bool = False


Node: TypeAlias = Words | Wildcard | Field | Not | And | Or | Near


def canonical(node: Node) -> str:
    """The query spelt with every operator explicit and every compound in parentheses."""
    if isinstance(node, Words):
        spelt = f'"{node.text}"' if node.quoted else node.text
        return "raw:" + spelt if node.raw else spelt
    if isinstance(node, Wildcard):
        return ("raw:" if node.raw else "") + node.text + "*"
    if isinstance(node, Field):
        return f"{node.name}:{node.value}"
    if isinstance(node, Not):
        return f"(NOT {canonical(node.operand)})"
    if isinstance(node, Near):
        operator = f"NEAR/{node.distance}{'f' if node.ordered else ''}"
        return f"({canonical(node.left)} {operator} {canonical(node.right)})"
    joiner = " AND " if isinstance(node, And) else " OR "
    return "(" + joiner.join(canonical(operand) for operand in node.operands) + ")"


def is_positional(node: Node) -> bool:
    """Whether the node has word positions, as NEAR needs on both sides."""
    if isinstance(node, Words | Wildcard | Near):
        return True
    return isinstance(node, Or) and all(is_positional(o) for o in node.operands)


def count_terms(node: Node) -> int:
    if isinstance(node, Words | Wildcard | Field):
        return 1
    if isinstance(node, Not):
        return count_terms(node.operand)
    if isinstance(node, Near):
        return count_terms(node.left) + count_terms(node.right)
    return sum(count_terms(operand) for operand in node.operands)
