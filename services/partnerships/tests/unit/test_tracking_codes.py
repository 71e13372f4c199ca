"""Generated codes are readable and never collide; tracked links carry the UTM parameters."""

import pytest
from vigie_partnerships.domain.tracking import code_key, generated_code, tracked_link


def test_a_generated_code_is_the_handle_and_the_campaign() -> None:
    assert generated_code("alice.bsky.social", "Autumn roast 2026", lambda c: False) == (
        "ALICE-AUTUMN"
    )


def test_a_taken_code_gets_the_next_free_suffix() -> None:
    taken = {"ALICE-AUTUMN", "ALICE-AUTUMN-2"}
    assert generated_code("alice", "autumn", taken.__contains__) == "ALICE-AUTUMN-3"


def test_codes_compare_without_case() -> None:
    assert code_key(" alice10 ") == "ALICE10"


def test_a_tracked_link_keeps_its_parameters_and_replaces_old_utms() -> None:
    link = tracked_link("https://shop.example/roast?size=1kg&utm_source=x", "c1", "ALICE-AUTUMN")
    assert link == (
        "https://shop.example/roast?size=1kg&utm_source=vigie&utm_medium=influencer"
        "&utm_campaign=c1&utm_content=ALICE-AUTUMN"
    )


def test_a_link_that_is_not_http_is_refused() -> None:
    with pytest.raises(ValueError, match="http"):
        tracked_link("javascript:alert(1)", "c1", "X")
