"""FX rates: one unit of a base currency in a quote currency, from a day on. Exact decimals;
a rate that is absent is an error for the caller to show, never a silent 1."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from vigie_partnerships.domain.money import KNOWN_CURRENCIES, InvalidMoney

MAX_RATE = Decimal("1e9")


@dataclass(frozen=True)
class FxQuote:
    base: str
    quote: str
    rate: Decimal
    effective_date: date

    @property
    def key(self) -> str:
        """`EUR-USD-2026-12-01`: a pair's quotes sort by day."""
        return f"{self.base}-{self.quote}-{self.effective_date.isoformat()}"


class MissingFxRate(LookupError):
    """A conversion needs a rate nobody stored."""

    def __init__(self, base: str, quote: str) -> None:
        super().__init__(f"no {base} to {quote} rate")
        self.base, self.quote = base, quote


def checked_quote(base: str, quote: str, rate: str, effective_date: str) -> FxQuote:
    """InvalidMoney (with a reason) when a currency, the rate or the day is not acceptable."""
    pair = (base.strip().upper(), quote.strip().upper())
    for code in pair:
        if code not in KNOWN_CURRENCIES:
            raise InvalidMoney("UNKNOWN_CURRENCY", f"{code!r} is not a known ISO 4217 code")
    if pair[0] == pair[1]:
        raise InvalidMoney("SAME_CURRENCY", "a rate converts between two different currencies")
    try:
        value = Decimal(rate.strip())
    except InvalidOperation:
        raise InvalidMoney("INVALID_RATE", f"{rate!r} is not a decimal number") from None
    if not value.is_finite() or not 0 < value < MAX_RATE:
        raise InvalidMoney("INVALID_RATE", f"{rate!r} is not a positive rate in range")
    try:
        day = date.fromisoformat(effective_date.strip())
    except ValueError:
        raise InvalidMoney("INVALID_DATE", f"{effective_date!r} is not a YYYY-MM-DD day") from None
    return FxQuote(pair[0], pair[1], value, day)
