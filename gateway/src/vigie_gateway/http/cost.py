"""The static cost of an operation, refused before execution when over the limit.

Every field costs 1; a field asking for a page (`first`, `last`, `pageSize` or `limit`) multiplies
the cost of what it selects by that size, so `{ a(first: 50) { b(first: 20) { c } } }` costs
1 + 50 * (1 + 20 * 1) = 1051. Fragments count where they are spread. Sizes given as variables are
read from the request's variables, so the same document costs what it will really fetch; a size
counts at most MAX_PAGE_SIZE, the largest page a service ever returns (larger asks are its refusal).
"""

from collections.abc import Iterator, Mapping
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    IntValueNode,
    SelectionSetNode,
    VariableNode,
)
from graphql.utilities import get_operation_ast
from strawberry.extensions import SchemaExtension
from vigie_runtime.pagination import MAX_PAGE_SIZE

from vigie_gateway.errors import graphql_error

PAGE_SIZE_ARGUMENTS = frozenset({"first", "last", "pageSize", "limit"})


def operation_cost(
    document: DocumentNode, operation_name: str | None, variables: Mapping[str, Any]
) -> int:
    operation = get_operation_ast(document, operation_name)
    if operation is None:
        return 0
    fragments = {
        definition.name.value: definition
        for definition in document.definitions
        if isinstance(definition, FragmentDefinitionNode)
    }
    return _selection_cost(operation.selection_set, fragments, variables, frozenset())


def _selection_cost(
    selection_set: SelectionSetNode | None,
    fragments: Mapping[str, FragmentDefinitionNode],
    variables: Mapping[str, Any],
    visiting: frozenset[str],
) -> int:
    total = 0
    for field, inner in _fields(selection_set, fragments, visiting):
        children = _selection_cost(field.selection_set, fragments, variables, inner)
        total += 1 + _page_size(field, variables) * children
    return total


def _fields(
    selection_set: SelectionSetNode | None,
    fragments: Mapping[str, FragmentDefinitionNode],
    visiting: frozenset[str],
) -> Iterator[tuple[FieldNode, frozenset[str]]]:
    """The fields selected, fragments expanded (a fragment cycle is cut, validation refuses it)."""
    for selection in selection_set.selections if selection_set else ():
        if isinstance(selection, FieldNode):
            yield selection, visiting
        elif isinstance(selection, InlineFragmentNode):
            yield from _fields(selection.selection_set, fragments, visiting)
        elif isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            if name in fragments and name not in visiting:
                yield from _fields(fragments[name].selection_set, fragments, visiting | {name})


def _page_size(field: FieldNode, variables: Mapping[str, Any]) -> int:
    return min(MAX_PAGE_SIZE, _asked_page_size(field, variables))


def _asked_page_size(field: FieldNode, variables: Mapping[str, Any]) -> int:
    for argument in field.arguments or ():
        if argument.name.value not in PAGE_SIZE_ARGUMENTS:
            continue
        value = argument.value
        if isinstance(value, IntValueNode):
            return max(1, int(value.value))
        if isinstance(value, VariableNode):
            given = variables.get(value.name.value)
            return max(1, given) if isinstance(given, int) else 1
    return 1


class CostLimiter(SchemaExtension):
    """Refuses an operation whose cost is over `max_cost` before any resolver runs."""

    def __init__(self, max_cost: int) -> None:
        self.max_cost = max_cost

    def on_execute(self) -> Iterator[None]:
        context = self.execution_context
        if context.graphql_document is not None:
            cost = operation_cost(
                context.graphql_document, context.operation_name, context.variables or {}
            )
            if cost > self.max_cost:
                raise graphql_error(
                    "QUERY_TOO_COSTLY",
                    f"this operation costs {cost}, over the limit of {self.max_cost}",
                    "RESOURCE_EXHAUSTED",
                    cost=str(cost),
                    maxCost=str(self.max_cost),
                )
        yield
