"""tools/check_graphql_breaking.py fed two schemas: a removed field or a new required argument
fails the check unless allowed with a reason; adding things never does."""

import importlib.util
from pathlib import Path
from types import ModuleType

TOOL = Path(__file__).resolve().parents[2] / "tools" / "check_graphql_breaking.py"

OLD = """
type Query {
  brand(id: ID!): Brand
  brands(first: Int = 50): [Brand!]!
}
type Brand { id: ID! name: String! }
"""
NEW = """
type Query {
  brand(id: ID!): Brand
  brands(first: Int = 50, subsidiaryId: ID!): [Brand!]!
  subsidiaries: [String!]!
}
type Brand { id: ID! displayName: String }
"""


def checker() -> ModuleType:
    spec = importlib.util.spec_from_file_location("check_graphql_breaking", TOOL)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_breaks_are_refused_unless_each_is_allowed_with_a_reason() -> None:
    tool = checker()
    removed = "FIELD_REMOVED Field Brand.name was removed."
    required = "REQUIRED_ARG_ADDED A required argument Query.brands(subsidiaryId:) was added."
    assert tool.breaks(OLD, NEW) == [removed, required]
    assert tool.check(OLD, NEW, "") == [f"not allowed: {removed}", f"not allowed: {required}"]
    partly = f"# header\n{removed} -- renamed displayName for the console\n"
    assert tool.check(OLD, NEW, partly) == [f"not allowed: {required}"]
    both = partly + f"{required} -- brands are per subsidiary now\n"
    assert tool.check(OLD, NEW, both) == []
    unexplained = both + "FIELD_REMOVED Query.x was removed.\n"
    assert tool.check(OLD, NEW, unexplained) == ["no reason: FIELD_REMOVED Query.x was removed."]


def test_additions_are_not_breaks() -> None:
    tool = checker()
    assert tool.check(OLD, OLD.replace("name: String!", "name: String! slug: String"), "") == []
