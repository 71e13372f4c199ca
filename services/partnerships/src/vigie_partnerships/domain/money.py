"""Money as `decimal.Decimal` with an ISO 4217 currency: never a float.

Amounts are parsed from decimal strings, checked against the currency's minor units, and added
or multiplied exactly; rounding (half-even, the banker's rounding) happens only when asked, to
the currency's minor units.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation

# Minor units of the currencies whose count is not 2 (ISO 4217).
_MINOR_UNITS = {
    "JPY": 0, "KRW": 0, "CLP": 0, "ISK": 0, "VND": 0, "XOF": 0, "XAF": 0, "HUF": 2,
    "BHD": 3, "KWD": 3, "OMR": 3, "JOD": 3, "TND": 3, "IQD": 3, "LYD": 3,
}  # fmt: skip
KNOWN_CURRENCIES = frozenset(
    {"EUR", "USD", "GBP", "CHF", "CAD", "AUD", "NZD", "SEK", "NOK", "DKK", "PLN", "CZK", "BRL",
     "MXN", "INR", "CNY", "HKD", "SGD", "ZAR", "TRY", "MAD", "AED", "SAR", "ILS", "RON"}
    | set(_MINOR_UNITS)
)  # fmt: skip
MAX_AMOUNT = Decimal("1e15")


class InvalidMoney(ValueError):
    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message


@dataclass(frozen=True)
class Money:
    amount: Decimal
    currency: str

    def __add__(self, other: "Money") -> "Money":
        _same_currency(self, other)
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: "Money") -> "Money":
        _same_currency(self, other)
        return Money(self.amount - other.amount, self.currency)

    def times(self, factor: Decimal) -> "Money":
        return Money(self.amount * factor, self.currency)

    def rounded(self) -> "Money":
        quantum = Decimal(1).scaleb(-minor_units(self.currency))
        return Money(self.amount.quantize(quantum, rounding=ROUND_HALF_EVEN), self.currency)

    def text(self) -> str:
        """The amount with exactly the currency's minor units, e.g. "1250.00"."""
        return f"{self.rounded().amount:f}"


def zero(currency: str) -> Money:
    return Money(Decimal(0), currency)


def minor_units(currency: str) -> int:
    return _MINOR_UNITS.get(currency, 2)


def parse_money(amount: str, currency: str, allow_negative: bool = False) -> Money:
    code = currency.strip().upper()
    if code not in KNOWN_CURRENCIES:
        raise InvalidMoney("UNKNOWN_CURRENCY", f"{currency!r} is not a known ISO 4217 code")
    try:
        value = Decimal(amount.strip())
    except InvalidOperation:
        raise InvalidMoney("INVALID_AMOUNT", f"{amount!r} is not a decimal amount") from None
    if not value.is_finite() or abs(value) >= MAX_AMOUNT:
        raise InvalidMoney("INVALID_AMOUNT", f"{amount!r} is not a finite amount in range")
    if value < 0 and not allow_negative:
        raise InvalidMoney("NEGATIVE_AMOUNT", f"{amount} {code} is negative")
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and -exponent > minor_units(code):
        raise InvalidMoney(
            "TOO_MANY_DECIMALS", f"{code} has {minor_units(code)} decimals, {amount!r} has more"
        )
    return Money(value, code)


def _same_currency(a: Money, b: Money) -> None:
    if a.currency != b.currency:
        raise InvalidMoney("CURRENCY_MISMATCH", f"cannot add {a.currency} and {b.currency}")
