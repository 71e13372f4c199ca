"""A query that does not parse says where (0-based character position) and what was expected."""

import pytest
from vigie_listener.domain.query_language import (
    MAX_NESTING,
    MAX_QUERY_LENGTH,
    MAX_TERMS,
    QueryLimitError,
    QuerySyntaxError,
    compile_query,
)


@pytest.mark.parametrize(
    ("query", "position", "expected"),
    [
        ("nike AND", 8, "expected a term or '(' after AND"),
        ("nike AND OR adidas", 9, "expected a term or '(' after AND"),
        ("", 0, "expected a term or '(', found end of query"),
        ("OR nike", 0, "expected a term or '(', found OR"),
        ("(nike OR adidas", 15, "expected ')' to close the '(' at position 0"),
        ("nike)", 4, "found ')' with no '(' to close"),
        ("()", 1, "expected a term or '(' after '('"),
        ("nike NOT", 8, "expected a term or '(' after NOT"),
        ("nike - adidas", 6, "expected a term or '(' after '-'"),
        ('nike "air max', 13, "expected '\"' to close the phrase opened at 5"),
        ("apple NEAR/x pie", 6, "expected NEAR/<n> or NEAR/<n>f"),
        ("apple NEAR/3", 12, "expected a term or '(' after NEAR/3"),
        ("apple NEAR/3 (pie AND tart)", 13, "an OR of them after NEAR/3"),
        ("lang:fr NEAR/3 pie", 0, "an OR of them before NEAR/3"),
        ("ni*ke", 2, "expected '*' only at the end of a term"),
        ("n*", 0, "expected at least 2 characters before '*'"),
        ("nike lang:", 10, "expected a value after 'lang:'"),
        ("nike lang:french", 10, "expected a language code"),
        ("site:not_a/domain/x", 5, "expected a domain"),
        ("nike !!!", 5, "expected a term with a letter, a digit or an emoji"),
    ],
)
def test_a_malformed_query_names_the_position_and_what_was_expected(
    query: str, position: int, expected: str
) -> None:
    with pytest.raises(QuerySyntaxError) as raised:
        compile_query(query)
    assert raised.value.position == position
    assert expected in str(raised.value)
    assert str(raised.value).startswith(f"position {position}: ")


def test_the_position_is_in_the_query_as_written_even_before_normalisation() -> None:
    decomposed = "Cafe\u0301 AND"
    with pytest.raises(QuerySyntaxError) as raised:
        compile_query(decomposed)
    assert raised.value.position == len(decomposed)


def test_a_query_over_the_length_limit_is_refused_naming_the_limit() -> None:
    compile_query("a" * MAX_QUERY_LENGTH)
    with pytest.raises(QueryLimitError) as raised:
        compile_query("a" * (MAX_QUERY_LENGTH + 1))
    assert raised.value.limit == MAX_QUERY_LENGTH
    assert f"at most {MAX_QUERY_LENGTH} characters" in str(raised.value)


def test_a_query_over_the_term_limit_is_refused_at_the_first_term_too_many() -> None:
    compile_query(" OR ".join(f"t{i}" for i in range(MAX_TERMS)))
    query = " OR ".join(f"t{i}" for i in range(MAX_TERMS + 1))
    with pytest.raises(QueryLimitError) as raised:
        compile_query(query)
    assert raised.value.position == query.index(f"t{MAX_TERMS}")
    assert f"at most {MAX_TERMS} terms" in str(raised.value)


def test_deep_nesting_is_refused_rather_than_overflowing_the_stack() -> None:
    compile_query("(" * MAX_NESTING + "a" + ")" * MAX_NESTING)
    with pytest.raises(QueryLimitError) as raised:
        compile_query("(" * 2000 + "a" + ")" * 2000)
    assert raised.value.position == MAX_NESTING
    with pytest.raises(QueryLimitError):
        compile_query("-" * 2000 + "a")
