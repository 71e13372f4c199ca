"""What a campaign brought, in its currency, with exact decimal arithmetic.

    engagement rate      = engagements / reach
    cost per engagement  = spend / engagements
    ROI                  = (revenue - spend) / spend
    earned media value   = sum over mentions of reach / 1000 x CPM(network)
                           + engagements x rate per engagement(network)

EMV rates are set per network and currency; when the campaign's currency has none, the rates of
a currency that has them are converted with the stored FX rate (from -> campaign currency). A
network with rates but no FX rate to convert them is an error (MissingFxRate), never a rate of 1;
a network with no rate at all leaves EMV unset.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from vigie_partnerships.domain.fx import MissingFxRate
from vigie_partnerships.domain.money import Money, zero


@dataclass(frozen=True)
class EmvRate:
    cpm: Decimal
    per_engagement: Decimal


@dataclass(frozen=True)
class Post:
    network: str
    reach: int
    engagements: Decimal


# (network, currency) -> rate; (from currency, to currency) -> rate.
EmvRates = Mapping[tuple[str, str], EmvRate]
FxRates = Mapping[tuple[str, str], Decimal]


def engagement_rate(engagements: Decimal, reach: int) -> Decimal | None:
    return (engagements / reach).quantize(Decimal("0.0001")) if reach else None


def cost_per_engagement(spend: Money, engagements: Decimal) -> Money | None:
    return Money(spend.amount / engagements, spend.currency).rounded() if engagements else None


def roi(revenue: Money, spend: Money) -> Decimal | None:
    if not spend.amount:
        return None
    return ((revenue - spend).amount / spend.amount).quantize(Decimal("0.0001"))


def earned_media_value(
    posts: Sequence[Post], currency: str, rates: EmvRates, fx: FxRates
) -> Money | None:
    """None when a post's network has no rate at all; MissingFxRate when its rates cannot be
    converted into `currency`."""
    total = zero(currency)
    for post in posts:
        rate = rate_in(post.network, currency, rates, fx)
        if rate is None:
            return None
        value = Decimal(post.reach) / 1000 * rate.cpm + post.engagements * rate.per_engagement
        total = total + Money(value, currency)
    return total.rounded()


def rate_in(network: str, currency: str, rates: EmvRates, fx: FxRates) -> EmvRate | None:
    if (network, currency) in rates:
        return rates[(network, currency)]
    others = sorted((c, r) for (n, c), r in rates.items() if n == network)
    for rate_currency, rate in others:
        conversion = fx.get((rate_currency, currency))
        if conversion is not None:
            return EmvRate(rate.cpm * conversion, rate.per_engagement * conversion)
    if others:
        raise MissingFxRate(others[0][0], currency)
    return None
