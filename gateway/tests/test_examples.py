"""The example queries front ends and docs quote (vigie_gateway/examples) stay valid against
the schema and use no deprecated field: a schema change that breaks one fails here, naming the
file and the error. The console's queries are the examples of a running front end, checked the
same way."""

import re
from pathlib import Path

import pytest
from graphql import parse, specified_rules, validate
from graphql.validation import NoDeprecatedCustomRule
from vigie_gateway.config import Settings
from vigie_gateway.examples import HERE
from vigie_gateway.schema import build_schema

EXAMPLES = sorted(HERE.glob("*.graphql"))
CONSOLE_QUERIES = HERE.parent / "console" / "static" / "graphql.js"
RULES = [*specified_rules, NoDeprecatedCustomRule]


def test_there_are_examples() -> None:
    assert [p.name for p in EXAMPLES if p.name == "brand_dashboard.graphql"]


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_an_example_query_is_valid_against_the_schema(path: Path) -> None:
    schema = build_schema(Settings())._schema
    errors = validate(schema, parse(path.read_text()), RULES)
    assert not errors, f"{path.name}: {[e.message for e in errors]}"


def console_documents() -> dict[str, str]:
    """Each GraphQL document of the console's graphql.js (its template-literal constants) by
    name, with its `${NAME}` interpolations replaced by those constants' text."""
    source = CONSOLE_QUERIES.read_text()
    found = dict(re.findall(r"export const (\w+) = `([^`]*)`;", source))
    found |= dict(re.findall(r"^const (\w+) = `([^`]*)`;", source, re.MULTILINE))
    found |= dict(re.findall(r'^const (\w+) = "([^"]*)";', source, re.MULTILINE))
    expand = lambda text: re.sub(r"\$\{(\w+)\}", lambda m: found[m[1]], text)  # noqa: E731
    return {name: expand(expand(text)) for name, text in found.items() if "{" in text}


def test_the_console_queries_are_valid_and_use_no_deprecated_field() -> None:
    schema = build_schema(Settings())._schema
    documents = console_documents()
    assert "SOCIAL_ACCOUNTS" in documents and "CREATE_POST" in documents
    for name, text in documents.items():
        if not re.match(r"\s*(query|mutation|subscription)\b", text):
            continue  # a fragment or selection kept for interpolation: checked where used
        errors = validate(schema, parse(text), RULES)
        assert not errors, f"{name}: {[e.message for e in errors]}"
