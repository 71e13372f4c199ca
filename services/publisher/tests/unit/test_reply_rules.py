"""Saved reply templates, the variant chosen by a mention's language, and when a reply waits."""

import pytest
from vigie_publisher.domain.replies import (
    CRISIS,
    HIGH_REACH,
    ReplyContext,
    TemplateVariant,
    approval_reason,
    choose_variant,
    missing_variables,
    render,
    variables_of,
)

VARIANTS = [
    TemplateVariant("en", "Hello {{name}}"),
    TemplateVariant("fr", "Bonjour {{name}}"),
    TemplateVariant("pt-BR", "Olá {{ name }}, pedido {{order}}"),
]


def test_variables_are_listed_once_in_order() -> None:
    assert variables_of("{{a}} {{ b }} {{a}} {c} {{1x}}") == ["a", "b"]


def test_rendering_replaces_every_variable_and_leaves_other_braces() -> None:
    text = render("Hi {{name}}, {order} {{ name }}", {"name": "Ana"})
    assert text == "Hi Ana, {order} Ana"


def test_missing_variables_are_named() -> None:
    assert missing_variables(VARIANTS[2].text, {"name": "Ana"}) == ["order"]
    assert missing_variables(VARIANTS[1].text, {"name": "Ana"}) == []


@pytest.mark.parametrize(
    ("language", "chosen"),
    [
        ("fr", "fr"),  # exact tag
        ("FR", "fr"),  # tags are case-insensitive
        ("fr-CA", "fr"),  # primary subtag
        ("pt-BR", "pt-BR"),
        ("pt", "pt-BR"),  # a variant sharing the primary subtag
        ("pt-PT", "pt-BR"),
        ("de", "en"),  # the default language
        ("", "en"),
    ],
)
def test_the_variant_is_chosen_by_language(language: str, chosen: str) -> None:
    assert choose_variant(VARIANTS, language, "en").language == chosen


def test_an_exact_tag_beats_a_primary_subtag() -> None:
    variants = [TemplateVariant("pt", "a"), TemplateVariant("pt-BR", "b")]
    assert choose_variant(variants, "pt-BR", "pt").text == "b"
    assert choose_variant(variants, "pt-PT", "pt-BR").text == "a"


def context(**changes: object) -> ReplyContext:
    values: dict[str, object] = {
        "author_is_community_manager": True,
        "author_followers": 10,
        "reach_threshold": 1000,
        "brand_in_crisis": False,
    }
    values.update(changes)
    return ReplyContext(**values)  # type: ignore[arg-type]


def test_a_community_managers_reply_to_a_small_author_goes_out() -> None:
    assert approval_reason(context()) == ""


def test_a_community_managers_reply_to_a_high_reach_author_waits() -> None:
    assert approval_reason(context(author_followers=1000)) == HIGH_REACH
    assert approval_reason(context(author_followers=999)) == ""


def test_no_threshold_means_no_high_reach_wait() -> None:
    assert approval_reason(context(author_followers=10**9, reach_threshold=0)) == ""


def test_a_community_managers_reply_during_a_crisis_waits() -> None:
    assert approval_reason(context(brand_in_crisis=True)) == CRISIS


def test_a_managers_reply_never_waits() -> None:
    manager = context(author_is_community_manager=False, brand_in_crisis=True)
    assert approval_reason(manager) == ""
    assert approval_reason(context(author_is_community_manager=False, author_followers=10**6)) == ""
