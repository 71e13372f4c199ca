"""Every type, field, argument, enum value and input field of the schema says what it is: the
schema is the front-end teams' documentation, and introspection is how their tools read it."""

from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLUnionType,
    specified_scalar_types,
)
from vigie_gateway.config import Settings
from vigie_gateway.schema import build_schema


def _blank(description: str | None) -> bool:
    return not (description or "").strip()


def _undescribed_parts(named: GraphQLNamedType) -> list[str]:
    missing = []
    if isinstance(named, GraphQLObjectType | GraphQLInterfaceType):
        for name, field in named.fields.items():
            if _blank(field.description):
                missing.append(f"{named.name}.{name}")
            missing += [
                f"{named.name}.{name}({arg})"
                for arg, argument in field.args.items()
                if _blank(argument.description)
            ]
    elif isinstance(named, GraphQLInputObjectType):
        missing += [
            f"{named.name}.{name}" for name, f in named.fields.items() if _blank(f.description)
        ]
    elif isinstance(named, GraphQLEnumType):
        missing += [
            f"{named.name}.{name}" for name, v in named.values.items() if _blank(v.description)
        ]
    return missing


def undescribed(schema: GraphQLSchema) -> list[str]:
    """Whatever lacks a description, by its schema coordinate (`Type.field(arg)`)."""
    missing: list[str] = []
    for name, named in sorted(schema.type_map.items()):
        if name.startswith("__") or name in specified_scalar_types:
            continue
        roots = (schema.query_type, schema.mutation_type, schema.subscription_type)
        if _blank(named.description) and named not in roots:
            missing.append(name)
        if isinstance(named, GraphQLUnionType):
            continue
        missing += _undescribed_parts(named)
    return missing


def test_every_type_field_argument_enum_value_and_input_field_has_a_description() -> None:
    missing = undescribed(build_schema(Settings())._schema)
    assert not missing, f"{len(missing)} without a description:\n" + "\n".join(missing)


def test_the_walk_names_what_lacks_a_description() -> None:
    import strawberry

    @strawberry.type(description="Reads.")
    class Query:
        @strawberry.field
        def bare(self, size: int) -> int:
            return size

    schema = strawberry.Schema(query=Query)._schema
    assert undescribed(schema) == ["Query.bare", "Query.bare(size)"]
