"""The boolean listening-query language and the multi-tenant matcher (pure domain, no I/O).

query = compile_query('(nike OR "air max") -adidas lang:fr')   # QuerySyntaxError if invalid
matcher = Matcher()
matcher.add("q1", "tenant-a", query)
matcher.match(MatchableItem("J'adore mes Air Max", language="fr"))   # ["q1"]
"""

from vigie_listener.domain.query_language.ast import Node, canonical
from vigie_listener.domain.query_language.compiler import (
    CompiledQuery,
    analyse,
    compile_query,
    compile_tree,
)
from vigie_listener.domain.query_language.errors import (
    MAX_NESTING,
    MAX_QUERY_LENGTH,
    MAX_TERMS,
    QueryLimitError,
    QuerySyntaxError,
)
from vigie_listener.domain.query_language.item import AnalysedItem, MatchableItem
from vigie_listener.domain.query_language.matcher import Matcher
from vigie_listener.domain.query_language.parser import parse

__all__ = [
    "MAX_NESTING",
    "MAX_QUERY_LENGTH",
    "MAX_TERMS",
    "AnalysedItem",
    "CompiledQuery",
    "MatchableItem",
    "Matcher",
    "Node",
    "QueryLimitError",
    "QuerySyntaxError",
    "analyse",
    "canonical",
    "compile_query",
    "compile_tree",
    "parse",
]
