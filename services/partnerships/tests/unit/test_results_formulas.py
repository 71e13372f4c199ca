"""Campaign results formulas on hand-worked figures, exact to the cent."""

from decimal import Decimal

import pytest
from vigie_partnerships.domain.fx import MissingFxRate
from vigie_partnerships.domain.money import parse_money
from vigie_partnerships.domain.results import (
    EmvRate,
    Post,
    cost_per_engagement,
    earned_media_value,
    engagement_rate,
    roi,
)

RATES = {("bluesky", "EUR"): EmvRate(Decimal("5.00"), Decimal("0.10"))}


def test_emv_is_reach_per_thousand_times_cpm_plus_engagements_times_rate() -> None:
    posts = [Post("bluesky", 12_000, Decimal(300)), Post("bluesky", 3_000, Decimal(45))]
    # 12 x 5 + 300 x 0.10 = 90; 3 x 5 + 45 x 0.10 = 19.5 -> 109.50
    assert earned_media_value(posts, "EUR", RATES, {}) == parse_money("109.50", "EUR")


def test_emv_in_another_currency_uses_the_stored_fx_rate() -> None:
    posts = [Post("bluesky", 1_000, Decimal(0))]
    # 1 x 5 EUR x 1.0837 = 5.4185 USD -> 5.42 (half-even)
    emv = earned_media_value(posts, "USD", RATES, {("EUR", "USD"): Decimal("1.0837")})
    assert emv == parse_money("5.42", "USD")


def test_emv_without_an_fx_rate_is_an_error_never_a_rate_of_one() -> None:
    posts = [Post("bluesky", 1_000, Decimal(0))]
    with pytest.raises(MissingFxRate) as missing:
        earned_media_value(posts, "GBP", RATES, {("EUR", "USD"): Decimal("1.0837")})
    assert (missing.value.base, missing.value.quote) == ("EUR", "GBP")


def test_emv_of_a_network_without_any_rate_is_left_unset() -> None:
    assert earned_media_value([Post("tiktok", 1_000, Decimal(0))], "EUR", RATES, {}) is None


def test_roi_cost_per_engagement_and_rate_are_exact() -> None:
    spend, revenue = parse_money("800.00", "EUR"), parse_money("1000.00", "EUR")
    assert roi(revenue, spend) == Decimal("0.25")
    assert cost_per_engagement(spend, Decimal(300)) == parse_money("2.67", "EUR")
    assert engagement_rate(Decimal(300), 12_000) == Decimal("0.025")
    assert roi(revenue, parse_money("0", "EUR")) is None
