"""What an item must contain for a query to have any chance of matching it.

A requirement is a disjunction: at least one of its keys (folded tokens, `#tags`, `site:`,
`lang:`, `author:`, `source:` keys) or prefixes must be in the item. The matcher indexes queries
by it and evaluates only the queries whose requirement an item meets. `None` means no positive
requirement (`NOT x`, an OR with such a branch): the query is evaluated for every item.
"""

from dataclasses import dataclass

from vigie_listener.domain.query_language.ast import Field, Near, Node, Not, Or, Wildcard, Words
from vigie_listener.domain.query_language.text import fold

# Every item has a language and a source, so these keys narrow little: prefer any word.
_BROAD_KEY_COST = 100.0
_PREFIX_COST = 2.0


@dataclass(frozen=True, slots=True)
class Requirement:
    keys: frozenset[str]
    prefixes: frozenset[str]

    @property
    def cost(self) -> float:
        """Roughly how often the requirement is met: longer words are rarer."""
        broad = ("lang:", "source:")
        return sum(
            _BROAD_KEY_COST if key.startswith(broad) else 1.0 + 1.0 / len(key) for key in self.keys
        ) + _PREFIX_COST * len(self.prefixes)


def requirement(node: Node) -> Requirement | None:
    if isinstance(node, Words):
        # A raw token is present only if its folded form is, and the index holds folded keys.
        key = max(node.tokens, key=len)
        key = fold(key) if node.raw else key
        return Requirement(frozenset({key}), frozenset()) if key else None
    if isinstance(node, Wildcard):
        prefix = fold(node.prefix) if node.raw else node.prefix
        return Requirement(frozenset(), frozenset({prefix}))
    if isinstance(node, Field):
        return Requirement(frozenset({field_key(node)}), frozenset())
    if isinstance(node, Not):
        return None
    if isinstance(node, Or):
        return _union([requirement(operand) for operand in node.operands])
    operands = (node.left, node.right) if isinstance(node, Near) else node.operands
    return _cheapest([requirement(operand) for operand in operands])


def field_key(node: Field) -> str:
    """The key an item carries when it has this field value (see `AnalysedItem.keys`)."""
    return f"{node.name}:{node.value}"


def _cheapest(options: list[Requirement | None]) -> Requirement | None:
    """Every operand must match, so any one operand's requirement will do: take the rarest."""
    present = [option for option in options if option is not None]
    return min(present, key=lambda option: option.cost) if present else None


def _union(options: list[Requirement | None]) -> Requirement | None:
    """Any operand may match, so the item must meet one of all their requirements."""
    keys: set[str] = set()
    prefixes: set[str] = set()
    for option in options:
        if option is None:
            return None
        keys |= option.keys
        prefixes |= option.prefixes
    return Requirement(frozenset(keys), frozenset(prefixes))
