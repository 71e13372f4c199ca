"""Brand safety, 0-100: what the creator said, in the mentions Vigie captured.

Starts at 100; points come off for:

- negative sentiment towards the brand: 60 x the share of their scored mentions of the brand
  that are negative (all negative: -60);
- unsafe keywords of the brand's list found in their texts: -15 per distinct keyword, at most -45;
- sponsored posts for a competitor (a competitor mention carrying a disclosure such as #ad):
  -20 each, at most -40. Positive words about competitors alone cost nothing: creators may
  compare.
"""

import re
from dataclasses import dataclass

from vigie_partnerships.domain.vetting.score import Score, ScoreBuilder

DISCLOSURES = ("#ad", "#sponsored", "#partner", "#sponsorisé", "#publicité", "#werbung", "#pub")


@dataclass(frozen=True)
class SaidAbout:
    """One of the creator's mentions: for the brand or a competitor, its text and sentiment."""

    competitor: bool
    text: str
    # "positive", "neutral", "negative", "mixed", or "" when not scored yet.
    sentiment: str = ""


def brand_safety_score(said: tuple[SaidAbout, ...], keywords: tuple[str, ...]) -> Score:
    builder = ScoreBuilder()
    own = [s for s in said if not s.competitor and s.sentiment]
    negative = sum(1 for s in own if s.sentiment == "negative")
    share = negative / len(own) if own else 0.0
    builder.input("scored_mentions_of_brand", len(own))
    builder.input("negative_share_of_brand", share)
    if negative:
        builder.penalise(round(60 * share, 1), f"{negative} of {len(own)} mentions are negative")
    hits = sorted({k for k in keywords if any(_has_word(s.text, k) for s in said)})
    builder.input("unsafe_keywords_found", ";".join(hits))
    if hits:
        builder.penalise(min(45, 15 * len(hits)), f"unsafe keywords: {', '.join(hits)}")
    sponsored = sum(1 for s in said if s.competitor and is_disclosed(s.text))
    builder.input("sponsored_posts_for_competitors", sponsored)
    if sponsored:
        builder.penalise(min(40, 20 * sponsored), f"{sponsored} sponsored posts for competitors")
    return builder.build("nothing unsafe in their mentions")


def is_disclosed(text: str, disclosures: tuple[str, ...] = DISCLOSURES) -> bool:
    return any(_has_word(text, d) for d in disclosures)


def _has_word(text: str, word: str) -> bool:
    if not word.strip():
        return False
    pattern = rf"(?<![\w#]){re.escape(word.strip().lower())}(?!\w)"
    return re.search(pattern, text.lower()) is not None
