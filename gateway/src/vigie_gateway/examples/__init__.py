"""Queries front ends and docs share, kept as `.graphql` files beside this module."""

from pathlib import Path

HERE = Path(__file__).parent


def example(name: str) -> str:
    """The text of `<name>.graphql` (e.g. `brand_dashboard`)."""
    return (HERE / f"{name}.graphql").read_text()
