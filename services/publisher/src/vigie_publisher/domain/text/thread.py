"""Split a long text into a thread of posts, each within the network's limit.

Posts break at a sentence end when one fits, else between words, and only as a last resort
inside a word (between graphemes, never inside a URL, a hashtag or a mention). An optional
" (1/3)" counter is counted in each post's length.
"""

from bisect import bisect_right
from collections.abc import Callable

import regex

from vigie_publisher.domain.text.checks import basic_problems
from vigie_publisher.domain.text.model import Network
from vigie_publisher.domain.text.networks import validate
from vigie_publisher.domain.text.twitter_extract import (
    extract_hashtags,
    extract_mentions_or_lists,
    extract_urls,
)

_WORD_END = regex.compile(r"\S(?=\s|$)")
_SENTENCE_END = regex.compile(r"[.!?\u2026\u3002\uff01\uff1f][\"'\u201d\u2019)\]]*(?=\s|$)")
_GRAPHEME = regex.compile(r"\X")
_LINK_LIKE = regex.compile(r"\S*://\S*")


class ThreadSplitError(ValueError):
    """The text cannot be cut into valid posts (e.g. it is empty, or one URL is too long)."""


def split_into_thread(
    text: str, network: Network, *, numbered: bool = True, instance_limit: int | None = None
) -> list[str]:
    """The posts of the thread, in order; a text that fits whole is returned as one post."""
    problems = basic_problems(text)
    if problems:
        raise ThreadSplitError(problems[0].message)
    body = text.strip()

    def fits(post: str) -> bool:
        return validate(network, post, instance_limit=instance_limit).valid

    if fits(body):
        return [body]
    if not numbered:
        return _pack(body, fits)
    digits = 1
    while True:
        parts = _pack(body, _leaving_room_for_counter(fits, digits))
        if len(parts) < 10**digits:
            return [f"{part} ({i}/{len(parts)})" for i, part in enumerate(parts, start=1)]
        digits += 1


def _leaving_room_for_counter(fits: Callable[[str], bool], digits: int) -> Callable[[str], bool]:
    widest = f" ({'9' * digits}/{'9' * digits})"
    return lambda post: fits(post + widest)


def _pack(text: str, fits: Callable[[str], bool]) -> list[str]:
    sentences, words, anywhere = _break_points(text)
    parts: list[str] = []
    start = 0
    while start < len(text):
        end = _best_end(text, start, fits, sentences, words, anywhere)
        parts.append(text[start:end].strip())
        start = end
        while start < len(text) and text[start].isspace():
            start += 1
    return parts


def _best_end(
    text: str,
    start: int,
    fits: Callable[[str], bool],
    sentences: list[int],
    words: list[int],
    anywhere: list[int],
) -> int:
    """The furthest break that fits, preferring a sentence end, then a word end."""
    low, high = bisect_right(anywhere, start), len(anywhere) - 1
    furthest = None
    # Longer posts weigh more, so binary search for the furthest break that still fits.
    while low <= high:
        middle = (low + high) // 2
        if fits(text[start : anywhere[middle]].strip()):
            furthest, low = anywhere[middle], middle + 1
        else:
            high = middle - 1
    if furthest is None:
        raise ThreadSplitError(f"No post starting at offset {start} fits the network's limit.")
    for candidates in (sentences, words):
        index = bisect_right(candidates, furthest) - 1
        if index >= 0 and candidates[index] > start:
            return candidates[index]
    return furthest


def _break_points(text: str) -> tuple[list[int], list[int], list[int]]:
    """Offsets where a post may end: after a sentence, after a word, between graphemes."""
    sentences = [match.end() for match in _SENTENCE_END.finditer(text)]
    words = [match.end() for match in _WORD_END.finditer(text)]
    blocked = _inside_entities(text)
    inside_words = [
        match.end()
        for match in _GRAPHEME.finditer(text)
        if not match.group().isspace() and not blocked[match.end()]
    ]
    return sentences, words, sorted(set(words) | set(inside_words))


def _inside_entities(text: str) -> list[bool]:
    """For each offset, whether it falls strictly inside a URL, hashtag or mention."""
    entities = [*extract_urls(text), *extract_hashtags(text), *extract_mentions_or_lists(text)]
    spans = [(entity.start, entity.end) for entity in entities]
    spans += [match.span() for match in _LINK_LIKE.finditer(text)]
    blocked = [False] * (len(text) + 1)
    for start, end in spans:
        blocked[start + 1 : end] = [True] * max(end - start - 1, 0)
    return blocked
