"""Money is exact: decimal strings in, decimal arithmetic, rounding only to minor units."""

from decimal import Decimal

import pytest
from vigie_partnerships.domain.money import InvalidMoney, parse_money, zero


def test_adding_tenths_is_exact_where_floats_are_not() -> None:
    total = zero("EUR")
    for _ in range(10):
        total = total + parse_money("0.10", "EUR")
    assert 0.1 * 10 != 1.0 or sum([0.1] * 10) != 1.0  # floats drift...
    assert total.amount == Decimal("1.00")  # ...decimals do not
    assert total.text() == "1.00"


def test_rounding_is_half_even_to_the_currencys_minor_units() -> None:
    assert parse_money("10.00", "EUR").times(Decimal("0.125")).text() == "1.25"  # 1.25 exact
    assert parse_money("0.05", "EUR").times(Decimal("0.5")).text() == "0.02"  # 0.025 -> 0.02
    assert parse_money("1000", "JPY").times(Decimal("0.0015")).text() == "2"  # 1.5 -> 2


@pytest.mark.parametrize(
    ("amount", "currency", "reason"),
    [
        ("-1.00", "EUR", "NEGATIVE_AMOUNT"),
        ("1.005", "EUR", "TOO_MANY_DECIMALS"),
        ("10.5", "JPY", "TOO_MANY_DECIMALS"),
        ("abc", "EUR", "INVALID_AMOUNT"),
        ("NaN", "EUR", "INVALID_AMOUNT"),
        ("1", "EURO", "UNKNOWN_CURRENCY"),
    ],
)
def test_bad_amounts_are_refused_with_a_reason(amount: str, currency: str, reason: str) -> None:
    with pytest.raises(InvalidMoney) as refused:
        parse_money(amount, currency)
    assert refused.value.reason == reason


def test_two_currencies_never_add() -> None:
    with pytest.raises(InvalidMoney) as refused:
        _ = parse_money("1", "EUR") + parse_money("1", "USD")
    assert refused.value.reason == "CURRENCY_MISMATCH"
