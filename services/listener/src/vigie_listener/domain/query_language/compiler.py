"""A query parsed, its requirement computed and its tree compiled into a predicate, once."""

from dataclasses import dataclass, field

from vigie_listener.domain.query_language.ast import Node, canonical
from vigie_listener.domain.query_language.evaluation import Predicate, compile_predicate
from vigie_listener.domain.query_language.item import AnalysedItem, MatchableItem
from vigie_listener.domain.query_language.parser import parse
from vigie_listener.domain.query_language.requirements import Requirement, requirement


@dataclass(frozen=True, slots=True)
class CompiledQuery:
    text: str
    tree: Node
    requirement: Requirement | None
    predicate: Predicate = field(compare=False, repr=False)

    @property
    def canonical(self) -> str:
        return canonical(self.tree)

    def matches(self, item: MatchableItem | AnalysedItem) -> bool:
        """Evaluates this query alone (the matcher does the same for its candidates)."""
        return self.predicate(analyse(item))


def compile_query(text: str) -> CompiledQuery:
    """Raises `QuerySyntaxError` (or its `QueryLimitError`) when `text` does not parse."""
    return compile_tree(parse(text), text)


def compile_tree(tree: Node, text: str = "") -> CompiledQuery:
    return CompiledQuery(text or canonical(tree), tree, requirement(tree), compile_predicate(tree))


def analyse(item: MatchableItem | AnalysedItem) -> AnalysedItem:
    """Tokenise an item once, to match it against many queries."""
    return item if isinstance(item, AnalysedItem) else AnalysedItem(item)
