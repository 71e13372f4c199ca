"""Numbers and dates written the way a locale's readers expect (a small subset of CLDR: the
languages the catalogue has). Unknown locales are written as English."""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

EN_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
FR_MONTHS = [
    "janv.",
    "févr.",
    "mars",
    "avr.",
    "mai",
    "juin",
    "juil.",
    "août",
    "sept.",
    "oct.",
    "nov.",
    "déc.",
]


@dataclass(frozen=True)
class LocaleFormat:
    decimal: str
    group: str
    percent: str  # the percent sign with its spacing
    months: tuple[str, ...]
    month_first: bool  # "Nov 3, 2026" rather than "3 Nov 2026"

    def integer(self, value: int) -> str:
        return f"{value:,}".replace(",", self.group)

    def number(self, value: float, places: int = 1) -> str:
        text = f"{value:,.{places}f}"
        return text.replace(",", "\0").replace(".", self.decimal).replace("\0", self.group)

    def ratio(self, value: float, places: int = 1) -> str:
        """A ratio (0.125) as a percentage ("12.5%", "12,5 %")."""
        return self.number(value * 100, places) + self.percent

    def amount(self, text: str, currency: str) -> str:
        """A decimal string of money ("1234.50") with its ISO currency; "" stays "-"."""
        try:
            value = Decimal(text)
        except (InvalidOperation, ValueError):
            return "-"
        return f"{self.number(float(value), 2)} {currency}".strip()

    def date(self, moment: date) -> str:
        month = self.months[moment.month - 1]
        if self.month_first:
            return f"{month} {moment.day}, {moment.year}"
        return f"{moment.day} {month} {moment.year}"

    def date_time(self, moment: datetime) -> str:
        return f"{self.date(moment)} {moment:%H:%M}"


ENGLISH_US = LocaleFormat(".", ",", "%", tuple(EN_MONTHS), month_first=True)
ENGLISH = LocaleFormat(".", ",", "%", tuple(EN_MONTHS), month_first=False)
# French groups digits with a space and spaces the percent sign.
FRENCH = LocaleFormat(",", " ", " %", tuple(FR_MONTHS), month_first=False)


def locale_format(locale: str) -> LocaleFormat:
    parts = locale.replace("_", "-").lower().split("-")
    if parts[0] == "fr":
        return FRENCH
    if parts[0] == "en" and parts[1:2] == ["us"]:
        return ENGLISH_US
    return ENGLISH
