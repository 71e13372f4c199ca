"""Sentences for people: which history was used, which basis, and why."""

from dataclasses import dataclass

from vigie_reputation.domain.best_times.learner import Basis, LearnedBestTimes
from vigie_reputation.domain.best_times.params import BestTimeParams
from vigie_reputation.domain.best_times.slots import describe


@dataclass(frozen=True)
class Context:
    network: str  # e.g. "Bluesky"
    zone: str  # the IANA name the slots are read in
    zone_known: bool  # False when the account had no valid time zone (UTC was used)


def explain(
    learned: LearnedBestTimes, context: Context, best: list[int], params: BestTimeParams
) -> list[str]:
    sentences = [_history(learned, context, params)]
    if not context.zone_known:
        sentences.append("The account has no known time zone, so the slots are read in UTC.")
    sentences.append(_basis(learned, context, params))
    if best and learned.basis is not Basis.FLAT_PRIOR:
        top = best[0]
        sentences.append(
            f"The best slot, {describe(top)}, is expected to draw "
            f"{learned.scores[top]:.2f} times the account's mean engagement."
        )
    return sentences


def _history(learned: LearnedBestTimes, context: Context, params: BestTimeParams) -> str:
    start, end = f"{learned.window_start:%Y-%m-%d}", f"{learned.window_end:%Y-%m-%d %H:%M} UTC"
    return (
        f"History used: {_posts(learned.posts_used)} of this account published between {start} "
        f"and {end} (the last {params.window_days} days, leaving out posts younger than "
        f"{_hours(params)}, whose engagement is still growing), read on the {context.zone} clock."
    )


def _basis(learned: LearnedBestTimes, context: Context, params: BestTimeParams) -> str:
    peers = f"other {context.network} accounts in {context.zone}"
    short = (
        f"{_posts(learned.posts_used)} are fewer than the {params.min_posts} needed to learn "
        "the account's own slots"
    )
    aggregate = (
        f"{learned.aggregate_accounts} {peers} ({_posts(learned.aggregate_posts)} in the window, "
        "each account's engagement taken relative to its own mean)"
    )
    too_few = (
        f"fewer than {params.min_aggregate_accounts} {peers} posted in the window, too few to "
        "share their aggregate without revealing another organization's audience"
    )
    if learned.basis is Basis.OWN_HISTORY:
        prior = (
            f"the aggregate of {aggregate}"
            if learned.aggregate_shared
            else (f"a flat profile, since {too_few}")
        )
        return (
            f"Basis: the account's own history ({_posts(learned.posts_used)}, at least "
            f"{params.min_posts} needed). Each slot scores the engagement of posts published near "
            "it, relative to the account's mean, pulled toward "
            f"{prior} where the account has posted little."
        )
    if learned.basis is Basis.NETWORK_AGGREGATE:
        return (
            f"Basis: the network and time-zone aggregate. {short}, so these are the slots of "
            f"{aggregate}."
        )
    return (
        f"Basis: a flat prior. {short}, and {too_few}: every slot scores 1.0 and no time is "
        "preferred until more history arrives."
    )


def _posts(count: int) -> str:
    return f"{count:,} post" + ("" if count == 1 else "s")


def _hours(params: BestTimeParams) -> str:
    hours = int(params.maturity.total_seconds() // 3600)
    return "a day" if hours == 24 else f"{hours} hours"
