"""Checks every network shares: emptiness, invalid characters, and passing a limit."""

from collections.abc import Sequence

from vigie_publisher.domain.text.counting import Segment, overflow_position
from vigie_publisher.domain.text.model import ProblemCode, TextProblem

# Byte-order marks and non-characters no network accepts.
_INVALID = frozenset("\ufffe\ufeff\uffff")
_SURROGATES = range(0xD800, 0xE000)


def first_invalid_character(text: str) -> int | None:
    """The offset of the first U+FFFE, U+FEFF, U+FFFF or unpaired surrogate, if any."""
    for index, character in enumerate(text):
        if character in _INVALID or ord(character) in _SURROGATES:
            return index
    return None


def basic_problems(text: str) -> list[TextProblem]:
    problems: list[TextProblem] = []
    if not text.strip():
        problems.append(TextProblem(ProblemCode.EMPTY, "The text is empty.", 0))
    invalid_at = first_invalid_character(text)
    if invalid_at is not None:
        code_point = f"U+{ord(text[invalid_at]):04X}"
        message = f"The text contains a character that cannot be posted ({code_point})."
        problems.append(TextProblem(ProblemCode.INVALID_CHARACTERS, message, invalid_at))
    return problems


def limit_problem(
    segments: Sequence[Segment], limit: int, *, code: ProblemCode, unit: str, scale: int = 1
) -> TextProblem | None:
    """A problem at the segment that passes `limit` (segment weights are `scale` per unit)."""
    position = overflow_position(segments, limit * scale)
    if position is None:
        return None
    return TextProblem(code, f"The text is longer than {limit} {unit}.", position)


def count_problem(
    starts: Sequence[int], limit: int, *, code: ProblemCode, what: str
) -> TextProblem | None:
    """A problem at the first item past `limit` (`starts` are the items' offsets, in order)."""
    if len(starts) <= limit:
        return None
    return TextProblem(code, f"The text has more than {limit} {what}.", starts[limit])
