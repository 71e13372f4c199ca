"""Thread splitting: every post valid, words kept in order, breaks where a reader expects."""

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st
from vigie_publisher.domain.text import Network, ThreadSplitError, split_into_thread, validate

_COUNTER = regex.compile(r" \((\d+)/(\d+)\)$")
_WORDS = st.lists(
    st.one_of(
        st.text(alphabet="abcdefghijklmnopqrstuvwxyzé日😷", min_size=1, max_size=12),
        st.sampled_from(["https://example.com/a/b", "#launch", "@vigie", "end.", "why?"]),
    ),
    min_size=1,
    max_size=400,
)
_SEPARATORS = st.sampled_from([" ", "  ", "\n", " \n\n"])


def _without_counter(post: str) -> str:
    return _COUNTER.sub("", post)


@settings(max_examples=40, deadline=None)
@given(words=_WORDS, separator=_SEPARATORS, network=st.sampled_from(list(Network)))
def test_every_post_is_valid_and_the_words_stay_in_order(
    words: list[str], separator: str, network: Network
) -> None:
    text = separator.join(words)
    posts = split_into_thread(text, network)
    assert all(validate(network, post).valid for post in posts)
    assert " ".join(_without_counter(post) for post in posts).split() == text.split()


@settings(max_examples=25, deadline=None)
@given(words=_WORDS)
def test_posts_are_numbered_one_to_n_when_there_are_several(words: list[str]) -> None:
    posts = split_into_thread(" ".join(words), Network.X)
    if len(posts) > 1:
        counters = [_COUNTER.search(post) for post in posts]
        assert [(int(c[1]), int(c[2])) for c in counters if c] == [
            (i, len(posts)) for i in range(1, len(posts) + 1)
        ]


def test_a_text_that_fits_is_one_post_without_a_counter() -> None:
    assert split_into_thread("  Short and sweet.  ", Network.X) == ["Short and sweet."]


def test_posts_break_after_a_sentence_when_one_fits() -> None:
    first = "This first sentence is rather long but fits easily in a post. "
    text = first + "word " * 60
    posts = split_into_thread(text, Network.X)
    assert _without_counter(posts[0]) == first.strip()


def test_without_numbering_posts_carry_no_counter() -> None:
    posts = split_into_thread("word " * 200, Network.X, numbered=False)
    assert len(posts) > 1 and all(not _COUNTER.search(post) for post in posts)


def test_a_word_longer_than_a_post_is_cut_between_graphemes() -> None:
    word = "👨‍👩‍👧‍👦" * 400
    posts = split_into_thread(word, Network.BLUESKY, numbered=False)
    assert "".join(posts) == word
    assert all(validate(Network.BLUESKY, post).valid for post in posts)


def test_a_url_is_never_cut_and_a_too_long_one_cannot_be_split() -> None:
    url = "https://example.com/" + "x" * 400
    posts = split_into_thread("a " * 100 + url, Network.X)
    assert any(url in post for post in posts)
    with pytest.raises(ThreadSplitError):
        split_into_thread(url, Network.BLUESKY)


def test_an_empty_text_cannot_be_split() -> None:
    with pytest.raises(ThreadSplitError, match="empty"):
        split_into_thread("   ", Network.X)
