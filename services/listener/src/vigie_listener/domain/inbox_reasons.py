"""Which captured mentions need a person (pure; the inbox's door).

A mention needs a person when it asks something, complains, replies to one of the brand's own
published posts, or — once the reputation service scored it — is negative and its author
reaches many people. Detection is deliberately plain (marks and opening words, complaint words
per language): a missed question still reaches the brand through listening, a false one costs a
person one glance and a close.
"""

import re
import unicodedata
from dataclasses import dataclass
from enum import IntEnum


class Reason(IntEnum):
    """Values are the contract's InboxReason numbers."""

    QUESTION = 1
    COMPLAINT = 2
    HIGH_REACH_NEGATIVE = 3
    REPLY_TO_OWN_POST = 4


# Question marks of several scripts: ASCII, fullwidth, inverted, Arabic.
_MARKS = frozenset("?\uff1f\u00bf\u061f")

# Words a question opens with, per language (folded: lower case, no accents).
_OPENERS = {
    "en": "who what when where why how which is are do does did can could will would should",
    "fr": "qui quoi quand ou pourquoi comment combien quel quelle quels quelles est-ce",
    "es": "quien que cuando donde por como cual cuanto",
    "de": "wer was wann wo warum wie welche welcher welches wieso",
}

# Phrases (folded) that say something went wrong for the author, comma-separated; each matches
# at the start of a word ("rembours" covers rembourser, remboursement).
_COMPLAINTS = {
    "en": "refund, broken, scam, disappointed, worst, complaint, unacceptable, never arrived,"
    " still waiting, terrible, awful, faulty",
    "fr": "rembours, arnaque, decu, inadmissible, plainte, scandale, toujours pas, honteu, nul,"
    " casse, en panne",
    "es": "reembolso, estafa, decepcionad, queja, roto, peor",
    "de": "erstattung, betrug, enttausch, beschwerde, kaputt, schlimmste",
}

_LEADING_TAGS = re.compile(r"^(?:\s*[@#][\w.\-@]+[\s,:;]*)+")
_WORDS = re.compile(r"[\w'-]+")


def fold(text: str) -> str:
    """Lower case without accents, so "Décue" and "decue" compare equal."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _languages(language: str) -> list[str]:
    primary = language.split("-", maxsplit=1)[0].lower()
    # An unknown or unsupported language is tried against every list.
    return [primary] if primary in _OPENERS else list(_OPENERS)


def is_question(text: str, language: str) -> bool:
    if any(mark in text for mark in _MARKS):
        return True
    words = _WORDS.findall(fold(_LEADING_TAGS.sub("", text)))
    if not words:
        return False
    return any(words[0] in _OPENERS[lang].split() for lang in _languages(language))


def is_complaint(text: str, language: str) -> bool:
    folded = " " + " ".join(_WORDS.findall(fold(text))) + " "
    return any(
        " " + phrase.strip() in folded
        for lang in _languages(language)
        for phrase in _COMPLAINTS[lang].split(",")
    )


@dataclass(frozen=True)
class MentionFacts:
    """What the inbox knows of a mention when deciding."""

    text: str
    language: str
    followers: int
    replies_to_own_post: bool
    # "NEGATIVE", "NEUTRAL", "POSITIVE", or "" before scoring.
    sentiment: str


def reasons(facts: MentionFacts, high_reach_followers: int) -> list[Reason]:
    """Why the mention needs a person, in the contract's order; empty when it does not."""
    found: list[Reason] = []
    if is_question(facts.text, facts.language):
        found.append(Reason.QUESTION)
    if is_complaint(facts.text, facts.language):
        found.append(Reason.COMPLAINT)
    if facts.sentiment == "NEGATIVE" and facts.followers >= high_reach_followers:
        found.append(Reason.HIGH_REACH_NEGATIVE)
    if facts.replies_to_own_post:
        found.append(Reason.REPLY_TO_OWN_POST)
    return found
