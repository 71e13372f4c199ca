"""The boolean operators of listening queries, and their precedence."""

import pytest
from vigie_listener.domain.query_language import MatchableItem, compile_query


def matches(query: str, text: str, **attributes: str) -> bool:
    return compile_query(query).matches(MatchableItem(text, **attributes))


def canonical(query: str) -> str:
    return compile_query(query).canonical


def test_and_needs_both_terms() -> None:
    assert matches("nike AND shoes", "new Nike shoes")
    assert not matches("nike AND shoes", "new Nike shirt")


def test_adjacent_terms_are_an_implicit_and() -> None:
    assert canonical("nike shoes") == "(nike AND shoes)"
    assert not matches("nike shoes", "shoes only")


def test_or_needs_either_term() -> None:
    assert matches("nike OR adidas", "adidas rocks")
    assert not matches("nike OR adidas", "puma rocks")


@pytest.mark.parametrize("query", ["nike NOT adidas", "nike -adidas", "nike AND NOT adidas"])
def test_not_and_minus_exclude_a_term(query: str) -> None:
    assert matches(query, "nike is great")
    assert not matches(query, "nike beats adidas")


def test_a_query_of_only_a_negation_matches_what_lacks_the_term() -> None:
    assert matches("NOT spam", "hello")
    assert not matches("-spam", "buy spam")


def test_parentheses_group() -> None:
    assert matches("(nike OR adidas) shoes", "adidas shoes")
    assert not matches("(nike OR adidas) shoes", "adidas shirt")
    assert matches("-(nike OR adidas)", "puma")
    assert not matches("-(nike OR adidas)", "nike")


def test_exact_phrase_needs_consecutive_words() -> None:
    assert matches('"air max"', "my new Air Max 90")
    assert not matches('"air max"', "air is max")
    assert matches('"air max"', "air, max!")  # punctuation is not a word


@pytest.mark.parametrize(
    ("query", "parsed"),
    [
        ("a b OR c", "((a AND b) OR c)"),
        ("a OR b c", "(a OR (b AND c))"),
        ("a OR b NEAR/2 c", "(a OR (b NEAR/2 c))"),
        ("a b NEAR/2 c", "(a AND (b NEAR/2 c))"),
        ("-a b", "((NOT a) AND b)"),
        ("NOT a OR b", "((NOT a) OR b)"),
        ("a AND b AND c", "(a AND b AND c)"),
        ("(a OR b) OR c", "(a OR b OR c)"),
        ("a NEAR/1 b NEAR/2f c", "((a NEAR/1 b) NEAR/2f c)"),
        ("(nike)", "nike"),
    ],
)
def test_precedence_is_not_then_near_then_and_then_or(query: str, parsed: str) -> None:
    assert canonical(query) == parsed


@pytest.mark.parametrize(
    "query",
    ['((nike OR "air max") AND (NOT adidas) AND lang:fr)', "(raw:Café AND nik* AND #nike)"],
)
def test_the_canonical_form_parses_to_itself(query: str) -> None:
    assert canonical(canonical(query)) == canonical(query)


def test_lower_case_operators_are_words() -> None:
    assert canonical("rock and roll") == "(rock AND and AND roll)"
    assert matches('"rock and roll"', "Rock and Roll forever")


def test_near_counts_the_words_between_in_either_order() -> None:
    assert matches("apple NEAR/2 pie", "apple and cherry pie")
    assert matches("apple NEAR/2 pie", "pie with an apple")
    assert not matches("apple NEAR/1 pie", "apple and cherry pie")
    assert matches("apple NEAR/0 pie", "Apple pie")


def test_ordered_near_needs_the_left_side_first() -> None:
    assert matches("apple NEAR/2f pie", "apple and cherry pie")
    assert not matches("apple NEAR/2f pie", "pie with an apple")


def test_near_between_phrases_measures_from_the_end_of_the_first() -> None:
    assert matches('"air max" NEAR/1 "too expensive"', "the air max is too expensive")
    assert not matches('"air max" NEAR/1f "too expensive"', "too expensive my air max")
    assert matches('"air max" NEAR/1 "too expensive"', "too expensive my air max")


def test_near_accepts_an_or_group_and_a_wildcard() -> None:
    assert matches("(apple OR pear) NEAR/1 tart*", "pear tartlets")
    assert not matches("(apple OR pear) NEAR/1 tart*", "pear and cherry tartlets")


def test_a_word_is_not_near_itself() -> None:
    assert not matches("apple NEAR/3 appl*", "apple")
    assert matches("apple NEAR/3 appl*", "apple and applesauce")


def test_trailing_wildcard_matches_any_ending() -> None:
    assert matches("sustainab*", "Sustainability matters")
    assert matches("sustainab*", "very sustainable")
    assert not matches("sustainab*", "unsustainable")


def test_language_author_and_source_filters() -> None:
    assert matches("nike lang:fr", "nike", language="fr-FR")
    assert not matches("nike lang:fr", "nike", language="en")
    assert matches("author:@Nike.bsky.social", "hi", author_handle="nike.bsky.social")
    assert not matches("author:nike", "nike", author_handle="adidas")
    assert matches("source:bluesky", "hi", source="Bluesky")
    assert not matches("source:bluesky", "hi", source="mastodon")
    assert not matches("lang:fr", "bonjour")  # an item of unknown language


def test_site_matches_links_in_the_text_and_the_item_url_with_subdomains() -> None:
    assert matches("site:nike.com", "look https://www.shop.nike.com/air?x=1 now")
    assert matches("domain:nike.com", "x", url="http://nike.com")
    assert not matches("site:nike.com", "look https://notnike.com/air")
    assert not matches("site:shop.nike.com", "look https://nike.com/")
    assert not matches("site:nike.com", "nike.com is not a link without a scheme")
