"""Mutation results that carry typed errors: one wrapper for every mutation.

A refusal the user can correct (bad input, not found, already exists, a stale etag, a failed
precondition, a quota) comes back in the payload's `errors` with a code a UI switches on and the
service's stable reason; the changed object is then null. Everything else (no or bad token, no
role, rate limits, internal failures) stays a top-level GraphQL error with `extensions.code`.
"""

import functools
import inspect
from collections.abc import Awaitable, Callable
from enum import Enum
from typing import Annotated, Any

import strawberry
from graphql import GraphQLError
from strawberry.types.field import StrawberryField

_CLIENT_STATUSES = {
    "INVALID_ARGUMENT": "INVALID_INPUT",
    "OUT_OF_RANGE": "INVALID_INPUT",
    "NOT_FOUND": "NOT_FOUND",
    "ALREADY_EXISTS": "ALREADY_EXISTS",
    "ABORTED": "CONFLICT",
    "FAILED_PRECONDITION": "FAILED_PRECONDITION",
    "RESOURCE_EXHAUSTED": "QUOTA_EXCEEDED",
}


@strawberry.enum(description="The kind of a mutation's refusal: what a UI switches on.")
class MutationErrorCode(Enum):
    INVALID_INPUT = strawberry.enum_value(
        "INVALID_INPUT", description="A field is missing, malformed or out of range; see `field`."
    )
    NOT_FOUND = strawberry.enum_value(
        "NOT_FOUND", description="An object the input names does not exist (or is not yours)."
    )
    ALREADY_EXISTS = strawberry.enum_value(
        "ALREADY_EXISTS", description="An object with this identity already exists."
    )
    CONFLICT = strawberry.enum_value(
        "CONFLICT", description="The object changed since it was read (stale etag): read it again."
    )
    FAILED_PRECONDITION = strawberry.enum_value(
        "FAILED_PRECONDITION", description="The object's state does not allow this change now."
    )
    QUOTA_EXCEEDED = strawberry.enum_value(
        "QUOTA_EXCEEDED", description="A quota ran out; retry later or ask for more."
    )


@strawberry.type(description="Why a mutation changed nothing, in terms a UI can act on.")
class MutationError:
    code: MutationErrorCode = strawberry.field(description="The kind of refusal.")
    reason: str = strawberry.field(
        description="The service's stable UPPER_SNAKE reason, e.g. QUERY_SYNTAX_ERROR."
    )
    message: str = strawberry.field(description="A sentence for people (English).")
    field: list[str] | None = strawberry.field(
        description='The input field at fault, as a path (e.g. ["displayName"]); null if none.'
    )


def _camel(word: str) -> str:
    head, *rest = word.split("_")
    return head + "".join(part.capitalize() for part in rest)


def mutation_error(error: GraphQLError) -> MutationError | None:
    """The payload error for a user-correctable refusal; None for what stays top-level."""
    extensions = error.extensions or {}
    code = _CLIENT_STATUSES.get(str(extensions.get("status", "")))
    reason = str(extensions.get("code", ""))
    # RESOURCE_EXHAUSTED is also how rate limits are said: only a quota is the user's to fix.
    if code is None or (code == "QUOTA_EXCEEDED" and "QUOTA" not in reason):
        return None
    field = extensions.get("field")
    return MutationError(
        code=MutationErrorCode[code],
        reason=reason,
        message=error.message,
        field=[_camel(part) for part in str(field).split(".")] if field else None,
    )


def _words(key: str) -> str:
    return key.replace("_", " ")


def _describe(key: str, kind: Any) -> tuple[Any, str]:
    """`kind` or `(kind, description)`; objects get a sentence of their own."""
    if isinstance(kind, tuple):
        return kind[0], f"{kind[1]} Null when `errors` says why not."
    if key == "deleted_id":
        return kind, "The id of the removed object; null when `errors` says why not."
    return kind, f"The {_words(key)} as it is now; null when `errors` says why not."


def _payload_type(mutation: str, fields: dict[str, Any]) -> type:
    described = {key: _describe(key, kind) for key, kind in fields.items()}
    annotations: dict[str, Any] = {key: kind | None for key, (kind, _) in described.items()}
    namespace: dict[str, Any] = {
        key: strawberry.field(default=None, description=text)
        for key, (_, text) in described.items()
    }
    annotations["errors"] = list[MutationError]
    namespace["errors"] = strawberry.field(
        default_factory=list, description="Why nothing changed; empty on success."
    )
    namespace["__annotations__"] = annotations
    names = ", ".join(f"`{_camel(key)}`" for key in fields)
    description = f"The result of `{_camel(mutation)}`: {names} on success, else `errors`."
    name = "".join(part.capitalize() for part in mutation.split("_")) + "Payload"
    return strawberry.type(type(name, (), namespace), description=description)


Resolver = Callable[..., Awaitable[Any]]
INPUT_DESCRIPTION = "What to do: see the input type's fields."


def _describe_input(wrapper: Any, resolver: Resolver) -> None:
    """Gives the one `input` argument its description, the same on every mutation."""
    signature = inspect.signature(resolver)
    given = signature.parameters["input"]
    argument = strawberry.argument(description=INPUT_DESCRIPTION)
    described = Annotated[given.annotation, argument]  # type: ignore[name-defined]
    parameters = [
        p.replace(annotation=described) if p.name == "input" else p
        for p in signature.parameters.values()
    ]
    wrapper.__signature__ = signature.replace(parameters=parameters)
    wrapper.__annotations__ = {**resolver.__annotations__, "input": described}


def payload_mutation(*, description: str, **fields: Any) -> Callable[[Resolver], StrawberryField]:
    """`@payload_mutation(brand=Brand, description=...)` on `async def create_brand(...)`
    returning a Brand gives `createBrand(...): CreateBrandPayload!` with `brand` and `errors`.
    A field is a type or `(type, description)`; with several, the resolver returns a dict."""

    def decorate(resolver: Resolver) -> StrawberryField:
        payload = _payload_type(resolver.__name__, fields)
        (single,) = fields if len(fields) == 1 else (None,)

        @functools.wraps(resolver)
        async def resolve(*args: Any, **kwargs: Any) -> Any:
            try:
                result = await resolver(*args, **kwargs)
            except GraphQLError as error:
                refusal = mutation_error(error)
                if refusal is None:
                    raise
                return payload(errors=[refusal])
            values = result if single is None else {single: result}
            return payload(**values, errors=[])

        _describe_input(resolve, resolver)

        field: StrawberryField = strawberry.mutation(
            resolver=resolve, graphql_type=payload, description=description
        )
        return field

    return decorate
