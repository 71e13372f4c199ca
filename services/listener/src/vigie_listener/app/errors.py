"""The listener's own refusals that carry more than a field."""

from vigie_runtime.errors import AppError, Code

from vigie_listener.domain.query_checks import QueryProblem


class QueryRefused(AppError):
    """A listening query that does not compile; the metadata says where."""

    code = Code.INVALID_ARGUMENT

    def __init__(self, field: str, problem: QueryProblem) -> None:
        super().__init__(
            problem.code,
            f"{field}: {problem.message}",
            field=field,
            start=str(problem.start),
            end=str(problem.end),
        )
