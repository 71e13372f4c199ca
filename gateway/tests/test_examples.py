"""The example queries front ends and docs quote (vigie_gateway/examples) stay valid against
the schema: a schema change that breaks one fails here, naming the file and the error."""

from pathlib import Path

import pytest
from graphql import parse, validate
from vigie_gateway.config import Settings
from vigie_gateway.examples import HERE
from vigie_gateway.schema import build_schema

EXAMPLES = sorted(HERE.glob("*.graphql"))


def test_there_are_examples() -> None:
    assert [p.name for p in EXAMPLES if p.name == "brand_dashboard.graphql"]


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_an_example_query_is_valid_against_the_schema(path: Path) -> None:
    schema = build_schema(Settings())._schema
    errors = validate(schema, parse(path.read_text()))
    assert not errors, f"{path.name}: {[e.message for e in errors]}"
