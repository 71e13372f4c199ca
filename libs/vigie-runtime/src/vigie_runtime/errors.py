"""Errors an application raises, each with a canonical code and a stable UPPER_SNAKE reason.

They name no transport: the gRPC server maps them to a status with `google.rpc.ErrorInfo`, the
gateway to a GraphQL error whose `extensions.code` is the reason.
"""

from enum import StrEnum


class Code(StrEnum):
    INVALID_ARGUMENT = "INVALID_ARGUMENT"
    NOT_FOUND = "NOT_FOUND"
    ALREADY_EXISTS = "ALREADY_EXISTS"
    PERMISSION_DENIED = "PERMISSION_DENIED"
    UNAUTHENTICATED = "UNAUTHENTICATED"
    FAILED_PRECONDITION = "FAILED_PRECONDITION"
    ABORTED = "ABORTED"
    RESOURCE_EXHAUSTED = "RESOURCE_EXHAUSTED"
    UNAVAILABLE = "UNAVAILABLE"
    DEADLINE_EXCEEDED = "DEADLINE_EXCEEDED"
    UNIMPLEMENTED = "UNIMPLEMENTED"


class AppError(Exception):
    code: Code = Code.FAILED_PRECONDITION
    # When trying again later can succeed: the whole seconds to wait (google.rpc.RetryInfo).
    retry_after_seconds: int | None = None

    def __init__(self, reason: str, message: str, **metadata: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message
        self.metadata = metadata


class InvalidArgument(AppError):
    code = Code.INVALID_ARGUMENT

    def __init__(self, field: str, message: str, reason: str = "INVALID_ARGUMENT") -> None:
        super().__init__(reason, f"{field}: {message}", field=field)
        self.field = field


class NotFound(AppError):
    code = Code.NOT_FOUND

    def __init__(self, resource: str, name: str) -> None:
        # The same answer whether the resource is absent or belongs to another tenant.
        super().__init__(f"{resource.upper()}_NOT_FOUND", f"{resource} {name!r} was not found")


class AlreadyExists(AppError):
    code = Code.ALREADY_EXISTS


class PermissionDenied(AppError):
    code = Code.PERMISSION_DENIED


class Unauthenticated(AppError):
    code = Code.UNAUTHENTICATED


class FailedPrecondition(AppError):
    code = Code.FAILED_PRECONDITION


class Aborted(AppError):
    code = Code.ABORTED


class ResourceExhausted(AppError):
    code = Code.RESOURCE_EXHAUSTED


class RateLimited(ResourceExhausted):
    def __init__(self, message: str, retry_after_seconds: int) -> None:
        super().__init__("RATE_LIMITED", message, retry_after_seconds=str(retry_after_seconds))
        self.retry_after_seconds = retry_after_seconds


class Unavailable(AppError):
    code = Code.UNAVAILABLE


class Unimplemented(AppError):
    code = Code.UNIMPLEMENTED
