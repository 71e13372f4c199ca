"""Who a WebSocket connection is: the token of its `connection_init`, and nothing else.

A connection without a valid token is closed with 4403 (strawberry's answer to a refused
`connection_init`); headers and subscription arguments are never used to pick the tenant.
"""

from typing import Any

import jwt
from strawberry.exceptions import ConnectionRejectionError
from vigie_runtime.errors import Unauthenticated
from vigie_runtime.tokens import TokenVerifier

from vigie_gateway.context import Context


def token_of(params: dict[str, Any]) -> str | None:
    """`{"authorization": "Bearer <jwt>"}` or `{"token": "<jwt>"}`."""
    header = params.get("authorization") or params.get("Authorization")
    if isinstance(header, str):
        scheme, _, token = header.partition(" ")
        return token.strip() if scheme.lower() == "bearer" and token.strip() else None
    bare = params.get("token")
    return bare if isinstance(bare, str) and bare else None


def accept(context: Context, verifier: TokenVerifier) -> None:
    """Makes the connection's caller the token's; raises ConnectionRejectionError otherwise."""
    params = context.connection_params or {}
    token = token_of(params)
    if token is None:
        raise ConnectionRejectionError({"code": "TOKEN_MISSING"})
    try:
        principal = verifier.verify(token)
    except Unauthenticated as refused:
        raise ConnectionRejectionError({"code": refused.reason}) from None
    context.token, context.principal, context.refusal = token, principal, None


def expiry_of(token: str) -> float:
    """The token's `exp` (seconds since the epoch); the verifier has already checked it."""
    claims = jwt.decode(token, options={"verify_signature": False})
    return float(claims["exp"])
