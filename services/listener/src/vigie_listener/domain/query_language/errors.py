"""Why a listening query was refused: where, and what the parser expected there."""

MAX_QUERY_LENGTH = 4096
MAX_TERMS = 250
MAX_NESTING = 64


class QuerySyntaxError(ValueError):
    """A query that does not parse; `position` is the 0-based character offset of the problem."""

    def __init__(self, position: int, expected: str) -> None:
        super().__init__(f"position {position}: {expected}")
        self.position = position
        self.expected = expected


class QueryLimitError(QuerySyntaxError):
    """A query over one of the limits that keep matching cheap (length, terms, nesting)."""

    def __init__(self, position: int, expected: str, limit: int) -> None:
        super().__init__(position, expected)
        self.limit = limit
