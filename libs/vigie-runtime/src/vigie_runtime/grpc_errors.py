"""AppError <-> gRPC status with `google.rpc.ErrorInfo` (stable reason, domain, metadata)."""

import grpc
from google.protobuf import any_pb2
from google.rpc import error_details_pb2, status_pb2
from grpc_status import rpc_status

from vigie_runtime.errors import AppError

ERROR_DOMAIN = "vigie.dev"
# The status travels in headers (16 KiB at most): a message echoing a huge input would make the
# caller's transport drop the whole status, reason included, as RESOURCE_EXHAUSTED.
MAX_TEXT = 1000


def _bounded(text: str) -> str:
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1] + "…"


def to_grpc_status(error: AppError) -> grpc.Status:
    code = getattr(grpc.StatusCode, error.code.value)
    detail = any_pb2.Any()
    detail.Pack(
        error_details_pb2.ErrorInfo(
            reason=error.reason,
            domain=ERROR_DOMAIN,
            metadata={k: _bounded(v) for k, v in error.metadata.items()},
        )
    )
    details = [detail]
    if error.retry_after_seconds is not None:
        retry = any_pb2.Any()
        retry.Pack(error_details_pb2.RetryInfo(retry_delay={"seconds": error.retry_after_seconds}))
        details.append(retry)
    message = _bounded(error.message)
    status = status_pb2.Status(code=code.value[0], message=message, details=details)
    return rpc_status.to_status(status)


def internal_status(trace_id: str) -> grpc.Status:
    """What a caller sees of an unexpected failure: nothing internal, a trace id to report."""
    detail = any_pb2.Any()
    detail.Pack(
        error_details_pb2.ErrorInfo(
            reason="INTERNAL", domain=ERROR_DOMAIN, metadata={"trace_id": trace_id}
        )
    )
    status = status_pb2.Status(
        code=grpc.StatusCode.INTERNAL.value[0],
        message=f"internal error (trace {trace_id})",
        details=[detail],
    )
    return rpc_status.to_status(status)


def error_info(error: grpc.aio.AioRpcError) -> error_details_pb2.ErrorInfo | None:
    """The ErrorInfo a server attached to a failed call, if any."""
    for key, value in error.trailing_metadata() or ():
        if key == "grpc-status-details-bin" and isinstance(value, bytes):
            status = status_pb2.Status.FromString(value)
            for detail in status.details:
                info = error_details_pb2.ErrorInfo()
                if detail.Unpack(info):
                    return info
    return None
