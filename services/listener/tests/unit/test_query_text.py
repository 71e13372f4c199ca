"""Case, accents, word boundaries and scripts: what a term matches in a text."""

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from vigie_listener.domain.query_language import MatchableItem, compile_query
from vigie_listener.domain.query_language import text as text_module


def matches(query: str, text: str) -> bool:
    return compile_query(query).matches(MatchableItem(text))


def test_matching_ignores_case_and_accents() -> None:
    assert matches("cafe", "Un CAFÉ noir")
    assert matches("Café", "un cafe noir")
    assert matches("ecole", "École")
    assert matches("strasse", "Straße")
    assert matches("orsted", "Ørsted")


def test_raw_keeps_case_and_accents() -> None:
    assert matches("raw:Café", "un Café noir")
    assert not matches("raw:Café", "un cafe noir")
    assert not matches("raw:Café", "un café noir")
    assert matches('raw:"Air Max"', "Air Max 90")
    assert not matches('raw:"Air Max"', "air max 90")


def test_text_and_query_are_nfc_normalised() -> None:
    decomposed = "Cafe\u0301"
    assert matches("raw:Café", decomposed)
    assert matches(f"raw:{decomposed}", "Café")


def test_a_term_matches_whole_words_only() -> None:
    assert matches("apple", "an apple a day")
    assert not matches("apple", "pineapple juice")
    assert not matches("apple", "apples")


def test_apostrophes_and_hyphens_separate_words() -> None:
    assert matches("oreal", "J'aime L'Oréal")
    assert matches("l'oréal", "L'Oréal Paris")
    assert matches("e-commerce", "e commerce boom")


def test_emoji_are_tokens() -> None:
    assert matches("🔥", "this is 🔥🔥")
    assert matches("nike NEAR/0 🔥", "nike🔥")
    assert not matches("🔥", "fire")


def test_skin_tones_fold_away_unless_raw() -> None:
    assert matches("👍", "great 👍🏽")
    assert not matches("raw:👍", "great 👍🏽")


def test_cjk_terms_match_as_substrings() -> None:
    assert matches("苹果", "我喜欢苹果手机")
    assert matches("東京", "東京タワーに行った")
    assert not matches("苹果", "我喜欢香蕉")
    assert not matches("苹果", "苹 果")  # the characters must follow each other


def test_thai_terms_match_as_substrings() -> None:
    assert matches("ไทย", "ประเทศไทยสวยงาม")
    assert not matches("ไทย", "ประเทศลาว")


def test_arabic_words_match_with_and_without_diacritics() -> None:
    assert matches("مرحبا", "قال مرحبا بالعالم")
    assert matches("مرحبا", "قال مَرْحَبًا")
    assert matches("احمد", "أحمد")
    assert not matches("مرحبا", "قال شكرا")


def test_words_in_other_scripts_keep_their_marks() -> None:
    assert matches("दुनिया", "नमस्ते दुनिया")
    assert not matches("दुनि", "नमस्ते दुनिया")
    assert matches("москва", "Я люблю Москву и Москва")


def test_hashtags_match_tags_and_terms_match_hashtags() -> None:
    assert matches("#nike", "love #Nike")
    assert not matches("#nike", "love nike")
    assert matches("nike", "love #nike")
    assert not matches("#nike", "love #nikeair")
    assert matches("#nik*", "love #nikeair")
    assert not matches("#nike", "C#nike")


def test_handles_match_mentions() -> None:
    assert matches("@nike", "thanks @Nike!")
    assert matches("@alice.bsky.social", "cc @alice.bsky.social.")
    assert not matches("@nike", "mail me at bob@nike.com")
    assert not matches("@nike", "nike")


@pytest.mark.parametrize("text", ["", "   ", "!!!", "https://example.com"])
def test_texts_without_words_match_nothing_positive(text: str) -> None:
    assert not matches("example", text)
    assert matches("-example", text)


SIMPLE_ALPHABET = "abcXYZ019_ éèçßñØœ…«»-.,:/#@'\"\t\n\u00b5\u00aa\u02b0\u2019\u2026\x1c"


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.text(SIMPLE_ALPHABET, max_size=12),
            st.sampled_from(["https://www.Shop.example.com/x", "#tag", "@a.b-c", "x@y.z", "C#"]),
        ),
        max_size=8,
    ).map(" ".join)
)
def test_the_fast_tokeniser_for_simple_scripts_agrees_with_the_full_one(text: str) -> None:
    fast = text_module.tokenize(text)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(text_module, "_NOT_SIMPLE", re.compile(""))  # every text takes the full path
        assert text_module.tokenize(text) == fast
