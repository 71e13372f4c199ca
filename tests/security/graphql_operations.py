"""GraphQL operations built from the schema the running gateway introspects: for a root field,
its arguments (ids from the target's resources by the id's kind, required scalars from simple
defaults) as variables, and a selection of every scalar it answers, two levels down."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLUnionType,
    get_named_type,
    is_list_type,
    is_non_null_type,
)
from graphql.pyutils import Undefined

from tests.security.kinds import kinds_of, noun_of_field, noun_of_operation, words

_SELECTION_DEPTH = 2
_INPUT_DEPTH = 3
PAGE = 5


@dataclass(frozen=True)
class Operation:
    root: str  # Query, Mutation or Subscription
    field: str
    document: str
    variables: dict[str, Any]
    used: frozenset[str]  # the resource names in the variables

    @property
    def key(self) -> str:
        return f"graphql:{self.root}.{self.field}"


@dataclass(frozen=True)
class IdSlot:
    path: tuple[str, ...]  # variable name, then input fields
    many: bool
    candidates: tuple[str, ...]


def roots(schema: GraphQLSchema) -> Iterator[tuple[str, str, GraphQLField]]:
    for root in (schema.query_type, schema.mutation_type, schema.subscription_type):
        if root is not None:
            for name, field in root.fields.items():
                yield root.name, name, field


def operations(
    schema: GraphQLSchema, root: str, name: str, field: GraphQLField, names: dict[str, list[str]]
) -> Iterator[Operation]:
    """The field called once per (id slot, candidate), like requests.assignments."""
    noun = words(name) if root == "Query" else noun_of_operation(name)
    slots = list(_slots(field, noun, names))
    base = {s.path: s.candidates[0] for s in slots}
    chosen_sets = [{**base, s.path: c} for s in slots for c in s.candidates] or [{}]
    seen: set[tuple[tuple[tuple[str, ...], str], ...]] = set()
    selection = selection_of(field.type, 0)
    for chosen in chosen_sets:
        key = tuple(sorted(chosen.items()))
        if key in seen:
            continue
        seen.add(key)
        variables = {a: _value(t, (a,), chosen, slots) for a, t in _arguments(field)}
        declared = ", ".join(f"${a}: {type_text(t)}" for a, t in _arguments(field))
        passed = ", ".join(f"{a}: ${a}" for a, _ in _arguments(field))
        keyword = root.lower() if root != "Query" else "query"
        document = (f"{keyword}{f'({declared})' if declared else ''} "
                    f"{{ {name}{f'({passed})' if passed else ''}{selection} }}")  # fmt: skip
        yield Operation(root, name, document, variables, frozenset(chosen.values()))


def _arguments(field: GraphQLField) -> list[tuple[str, GraphQLInputType]]:
    """The arguments passed: required ones, those holding ids, and page sizes (kept small)."""
    chosen = []
    for name, argument in field.args.items():
        required = is_non_null_type(argument.type) and argument.default_value is Undefined
        if required or _holds_ids(argument.type, 0) or name == "first":
            chosen.append((name, argument.type))
    return chosen


def _holds_ids(kind: Any, depth: int) -> bool:
    """An ID, or an input (a list filter, say) with an ID somewhere inside."""
    named = get_named_type(kind)
    if named.name == "ID":
        return True
    if isinstance(named, GraphQLInputObjectType) and depth < _INPUT_DEPTH:
        return any(_holds_ids(f.type, depth + 1) for f in named.fields.values())
    return False


def _slots(field: GraphQLField, noun: str, names: dict[str, list[str]]) -> Iterator[IdSlot]:
    everything = tuple(n for values in names.values() for n in values[:1])

    def walk(kind: Any, path: tuple[str, ...], owner: str, depth: int) -> Iterator[IdSlot]:
        named = get_named_type(kind)
        many = is_list_type(kind.of_type if is_non_null_type(kind) else kind)
        if named.name == "ID":
            slot_noun = owner if path[-1] == "id" else noun_of_field(path[-1])
            found = kinds_of(slot_noun, list(names))
            candidates = tuple(n for k in found for n in names[k][:1]) or everything
            yield IdSlot(path, many, candidates)
        elif isinstance(named, GraphQLInputObjectType) and depth < _INPUT_DEPTH:
            inner = noun_of_operation(named.name.removesuffix("Input"))
            for name, input_field in named.fields.items():
                yield from walk(input_field.type, (*path, name), inner or owner, depth + 1)

    for name, argument_type in _arguments(field):
        yield from walk(argument_type, (name,), noun, 0)


def _value(kind: Any, path: tuple[str, ...], chosen: dict[Any, str], slots: list[IdSlot]) -> Any:
    if is_non_null_type(kind):
        return _value(kind.of_type, path, chosen, slots)
    if is_list_type(kind):
        return [_value(kind.of_type, path, chosen, slots)]
    named = get_named_type(kind)
    if named.name == "ID":
        return chosen.get(path, "probe")
    if isinstance(named, GraphQLInputObjectType):
        value = {}
        for name, field in named.fields.items():
            inner = (*path, name)
            wanted = any(s.path[: len(inner)] == inner for s in slots)
            if wanted or (is_non_null_type(field.type) and field.default_value is Undefined):
                value[name] = _value(field.type, inner, chosen, slots)
        return value
    if isinstance(named, GraphQLEnumType):
        return next(iter(named.values))
    return _scalar(named.name, path[-1])


def _scalar(type_name: str, name: str) -> Any:
    now = datetime.now(UTC)
    if type_name == "DateTime":
        late = any(w in name.lower() for w in ("end", "to", "until"))
        return (now if late else now - timedelta(days=7)).isoformat()
    if type_name == "Date":
        return now.date().isoformat()
    if type_name == "Int":
        return PAGE
    if type_name == "Float":
        return 1.0
    if type_name == "Boolean":
        return False
    return "probe"


def selection_of(kind: Any, depth: int) -> str:
    named = get_named_type(kind)
    if isinstance(named, GraphQLObjectType):
        parts = []
        for name, field in named.fields.items():
            if field.args:  # a nested page or a computed field: not needed to see a leak
                continue
            inner = get_named_type(field.type)
            if isinstance(inner, GraphQLObjectType | GraphQLInterfaceType | GraphQLUnionType):
                if depth < _SELECTION_DEPTH:
                    parts.append(f"{name}{selection_of(field.type, depth + 1)}")
            else:
                parts.append(name)
        return f" {{ __typename {' '.join(parts)} }}"
    if isinstance(named, GraphQLInterfaceType | GraphQLUnionType):
        return " { __typename }"
    return ""


def type_text(kind: Any) -> str:
    if isinstance(kind, GraphQLNonNull):
        return f"{type_text(kind.of_type)}!"
    if isinstance(kind, GraphQLList):
        return f"[{type_text(kind.of_type)}]"
    return str(kind.name)
