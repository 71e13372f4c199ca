"""gRPC failures as GraphQL errors a UI can switch on: `extensions.code` is the stable reason.

Nothing internal leaks: an unexpected failure reaches the client as INTERNAL with a trace id.
"""

import grpc
from graphql import GraphQLError
from vigie_runtime.errors import AppError
from vigie_runtime.grpc_errors import error_info

# The errors the gateway itself raises on purpose; everything else is masked.
SAFE_EXTENSION = "vigieSafe"


def graphql_error(code: str, message: str, status: str, **extra: str) -> GraphQLError:
    return GraphQLError(
        message, extensions={"code": code, "status": status, SAFE_EXTENSION: True, **extra}
    )


def from_grpc(error: grpc.aio.AioRpcError) -> GraphQLError:
    info = error_info(error)
    status = error.code().name
    if status == "INTERNAL" or info is None:
        trace_id = info.metadata.get("trace_id", "") if info else ""
        return graphql_error("INTERNAL", "internal error", "INTERNAL", traceId=trace_id)
    extra = {k: v for k, v in info.metadata.items() if k in {"field", "trace_id"}}
    return graphql_error(info.reason, error.details() or info.reason, status, **extra)


def from_app_error(error: AppError) -> GraphQLError:
    return graphql_error(error.reason, error.message, error.code.value, **error.metadata)
