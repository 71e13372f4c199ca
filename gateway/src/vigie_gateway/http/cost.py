"""The static cost of an operation, refused before execution when over the limit.

Every field costs 1; a field asking for a page (`first`, `last`, `pageSize` or `limit`) multiplies
the cost of what it selects by that size, so `{ a(first: 50) { b(first: 20) { c } } }` costs
1 + 50 * (1 + 20 * 1) = 1051. Fragments count where they are spread. Sizes given as variables are
read from the request's variables, and a size left out counts its default from the schema
(`brands { ... }` asks for 50), so the same document costs what it will really fetch; a size
counts at most MAX_PAGE_SIZE, the largest page a service ever returns (larger asks are its refusal).
"""

from collections.abc import Iterator, Mapping
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLField,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    SelectionSetNode,
    VariableNode,
    get_named_type,
)
from graphql.utilities import get_operation_ast
from strawberry.extensions import SchemaExtension
from vigie_runtime.pagination import MAX_PAGE_SIZE

from vigie_gateway.errors import graphql_error

PAGE_SIZE_ARGUMENTS = frozenset({"first", "last", "pageSize", "limit"})


def operation_cost(
    document: DocumentNode,
    operation_name: str | None,
    variables: Mapping[str, Any],
    schema: GraphQLSchema | None = None,
) -> int:
    """The cost; with the schema, page sizes left out count their declared default."""
    operation = get_operation_ast(document, operation_name)
    if operation is None:
        return 0
    fragments = {
        definition.name.value: definition
        for definition in document.definitions
        if isinstance(definition, FragmentDefinitionNode)
    }
    walk = _Walk(fragments, variables, schema)
    root = schema.get_root_type(operation.operation) if schema else None
    return walk.cost(operation.selection_set, root, frozenset())


class _Walk:
    def __init__(
        self,
        fragments: Mapping[str, FragmentDefinitionNode],
        variables: Mapping[str, Any],
        schema: GraphQLSchema | None,
    ) -> None:
        self.fragments, self.variables, self.schema = fragments, variables, schema

    def cost(
        self,
        selection_set: SelectionSetNode | None,
        parent: GraphQLObjectType | None,
        visiting: frozenset[str],
    ) -> int:
        total = 0
        for node, on_type, inner in self._fields(selection_set, parent, visiting):
            field = on_type.fields.get(node.name.value) if on_type else None
            named = get_named_type(field.type) if field else None
            child = named if isinstance(named, GraphQLObjectType) else None
            children = self.cost(node.selection_set, child, inner)
            total += 1 + self._page_size(node, field) * children
        return total

    def _fields(
        self,
        selection_set: SelectionSetNode | None,
        parent: GraphQLObjectType | None,
        visiting: frozenset[str],
    ) -> Iterator[tuple[FieldNode, GraphQLObjectType | None, frozenset[str]]]:
        """Fields selected, fragments expanded (a fragment cycle is cut; validation refuses it)."""
        for selection in selection_set.selections if selection_set else ():
            if isinstance(selection, FieldNode):
                yield selection, parent, visiting
            elif isinstance(selection, InlineFragmentNode):
                on_type = self._type(selection.type_condition, parent)
                yield from self._fields(selection.selection_set, on_type, visiting)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                if name in self.fragments and name not in visiting:
                    fragment = self.fragments[name]
                    on_type = self._type(fragment.type_condition, parent)
                    yield from self._fields(fragment.selection_set, on_type, visiting | {name})

    def _type(self, condition: Any, parent: GraphQLObjectType | None) -> GraphQLObjectType | None:
        if condition is None or self.schema is None:
            return parent
        named = self.schema.get_type(condition.name.value)
        return named if isinstance(named, GraphQLObjectType) else None

    def _page_size(self, node: FieldNode, field: GraphQLField | None) -> int:
        return min(MAX_PAGE_SIZE, max(1, self._asked_page_size(node, field)))

    def _asked_page_size(self, node: FieldNode, field: GraphQLField | None) -> int:
        for argument in node.arguments or ():
            if argument.name.value not in PAGE_SIZE_ARGUMENTS:
                continue
            value = argument.value
            if isinstance(value, IntValueNode):
                return int(value.value)
            if isinstance(value, VariableNode):
                given = self.variables.get(value.name.value)
                if isinstance(given, int):
                    return given
        for name, definition in (field.args if field else {}).items():
            if name in PAGE_SIZE_ARGUMENTS and isinstance(definition.default_value, int):
                return definition.default_value
        return 1


class CostLimiter(SchemaExtension):
    """Refuses an operation whose cost is over `max_cost` before any resolver runs."""

    def __init__(self, max_cost: int) -> None:
        self.max_cost = max_cost

    def on_execute(self) -> Iterator[None]:
        context = self.execution_context
        if context.graphql_document is not None:
            cost = operation_cost(
                context.graphql_document,
                context.operation_name,
                context.variables or {},
                context.schema._schema,
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
