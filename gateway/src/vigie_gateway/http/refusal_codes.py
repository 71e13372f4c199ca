"""Codes for the requests refused before execution. graphql-core and Strawberry's limiters
report a query too deep, too many aliases or too many tokens with a message only; a client (and
the abuse benchmark) needs a stable `extensions.code` to tell them apart from a typo. The
messages are those of the pinned graphql-core and Strawberry (gateway/tests checks each one)."""

from graphql import GraphQLError

_BY_MESSAGE = (
    ("exceeds maximum operation depth", "QUERY_TOO_DEEP"),
    ("aliases found. Allowed", "TOO_MANY_ALIASES"),
    ("Document contains more than", "QUERY_TOO_LONG"),
    ("Syntax Error", "GRAPHQL_PARSE_FAILED"),
)


def add_codes(errors: list[GraphQLError]) -> None:
    """Gives each refusal without a code the code of its limit (else a validation failure).
    Errors with a path were raised while executing a field: they carry their own code."""
    for error in errors:
        if error.path is not None or (error.extensions or {}).get("code"):
            continue
        code = next((c for text, c in _BY_MESSAGE if text in error.message), None)
        error.extensions = {**(error.extensions or {}), "code": code or "GRAPHQL_VALIDATION_FAILED"}
