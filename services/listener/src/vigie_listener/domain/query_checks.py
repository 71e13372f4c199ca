"""What is wrong with a listening query's text or settings, in words a person can act on."""

import re
from dataclasses import dataclass

from vigie_listener.domain.query_language import (
    CompiledQuery,
    QueryLimitError,
    QuerySyntaxError,
    compile_query,
)

MAX_LANGUAGES = 20
_LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


@dataclass(frozen=True)
class QueryProblem:
    code: str
    message: str
    start: int
    end: int


def check_query(text: str) -> tuple[CompiledQuery | None, list[QueryProblem]]:
    """The compiled query, or the problems that stop it from compiling."""
    if not text.strip():
        return None, [QueryProblem("EMPTY_QUERY", "the query is empty", 0, 0)]
    try:
        return compile_query(text), []
    except QueryLimitError as error:
        code = "QUERY_TOO_LARGE"
        return None, [_problem(code, error, text)]
    except QuerySyntaxError as error:
        return None, [_problem("QUERY_SYNTAX_ERROR", error, text)]


def _problem(code: str, error: QuerySyntaxError, text: str) -> QueryProblem:
    start = min(error.position, len(text))
    return QueryProblem(code, f"position {error.position}: {error.expected}", start, start + 1)


def check_languages(languages: list[str]) -> str | None:
    """Why the language list is refused, or None."""
    if len(languages) > MAX_LANGUAGES:
        return f"at most {MAX_LANGUAGES} languages"
    for code in languages:
        if not _LANGUAGE.match(code):
            return f"{code!r} is not a BCP 47 language code like 'fr' or 'pt-BR'"
    return None


def primary_language(code: str) -> str:
    return code.lower().replace("_", "-").split("-")[0]
