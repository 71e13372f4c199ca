"""The GraphQL-over-HTTP protocol: what a request may look like, and how an answer is sent.

Follows https://graphql.github.io/graphql-over-http/draft/: `application/graphql-response+json`
when the client accepts it (request errors then get 4xx), `application/json` for older clients
(always 200 once the request is well formed). GET carries queries only; batches are not part of
the protocol and are refused.
"""

import json
from dataclasses import dataclass, field
from typing import Any

GRAPHQL_RESPONSE = "application/graphql-response+json"
JSON = "application/json"
# What a POST body may be: both are JSON, and neither is a CORS-"simple" type, so a cross-site
# form cannot send one without a preflight (the CSRF protection of the spec).
ACCEPTED_BODY_TYPES = (JSON, GRAPHQL_RESPONSE)


class ProtocolError(Exception):
    """A request the protocol refuses before any GraphQL work: an HTTP status and a code."""

    def __init__(
        self, status: int, code: str, message: str, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
        self.headers = headers or {}


@dataclass(frozen=True)
class GraphQLParams:
    query: str | None
    variables: dict[str, Any] | None = None
    operation_name: str | None = None
    extensions: dict[str, Any] = field(default_factory=dict)


def negotiate(accept: str) -> str | None:
    """The media type to answer with, or None when the client accepts neither."""
    if not accept.strip():
        return JSON  # a client that says nothing gets the legacy type (spec: SHOULD)
    types = [part.split(";")[0].strip().lower() for part in accept.split(",")]
    for wanted in types:
        if wanted == GRAPHQL_RESPONSE:
            return GRAPHQL_RESPONSE
        if wanted in {JSON, "application/*", "*/*"}:
            return JSON  # the spec: a client accepting anything gets the legacy type
    return None


def body_params(content_type: str, body: bytes) -> GraphQLParams:
    media = content_type.split(";", maxsplit=1)[0].strip().lower()
    if media not in ACCEPTED_BODY_TYPES:
        raise ProtocolError(415, "UNSUPPORTED_MEDIA_TYPE", "POST bodies must be application/json")
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError) as bad:
        raise ProtocolError(400, "BAD_REQUEST", "the body is not valid JSON") from bad
    if isinstance(data, list):
        raise ProtocolError(400, "BAD_REQUEST", "batched requests are not supported")
    if not isinstance(data, dict):
        raise ProtocolError(400, "BAD_REQUEST", "the body must be a JSON object")
    return _params(data)


def query_string_params(params: dict[str, str]) -> GraphQLParams:
    data: dict[str, Any] = {"query": params.get("query"), "operationName": None}
    if "operationName" in params:
        data["operationName"] = params["operationName"]
    for name in ("variables", "extensions"):
        if name in params:
            try:
                data[name] = json.loads(params[name])
            except ValueError as bad:
                raise ProtocolError(400, "BAD_REQUEST", f"`{name}` is not JSON") from bad
    return _params(data)


def _params(data: dict[str, Any]) -> GraphQLParams:
    query, variables = data.get("query"), data.get("variables")
    name, extensions = data.get("operationName"), data.get("extensions")
    if not isinstance(query, str | None):
        raise ProtocolError(400, "BAD_REQUEST", "`query` must be a string")
    if not isinstance(variables, dict | None):
        raise ProtocolError(400, "BAD_REQUEST", "`variables` must be an object")
    if not isinstance(name, str | None):
        raise ProtocolError(400, "BAD_REQUEST", "`operationName` must be a string")
    if not isinstance(extensions, dict | None):
        raise ProtocolError(400, "BAD_REQUEST", "`extensions` must be an object")
    return GraphQLParams(query, variables, name, extensions or {})


def error_body(code: str, message: str) -> dict[str, Any]:
    return {"errors": [{"message": message, "extensions": {"code": code}}]}
