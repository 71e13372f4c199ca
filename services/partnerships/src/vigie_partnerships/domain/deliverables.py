"""Whether a post fulfils a deliverable's terms.

A post counts when it carries every required hashtag, mention, link and code (case-insensitive;
a link may be a prefix of one in the text or of the post's address). When it carries them but
not the required disclosure (e.g. "#ad"), it does not count and the deliverable is flagged:
an undisclosed sponsored post is a legal problem, not a fulfilment.
"""

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Terms:
    hashtags: tuple[str, ...] = ()
    mentions: tuple[str, ...] = ()
    links: tuple[str, ...] = ()
    codes: tuple[str, ...] = ()
    disclosure: str = ""


@dataclass(frozen=True)
class Verdict:
    counts: bool
    disclosure_missing: bool
    # What the post lacks, for people: "#AutumnRoast", "@lumiere", ...
    missing: tuple[str, ...]


def judge(terms: Terms, text: str, url: str = "") -> Verdict:
    lowered = text.lower()
    missing = [f"#{h}" for h in terms.hashtags if not _has_token(lowered, f"#{h.lower()}")]
    missing += [
        f"@{m}" for m in terms.mentions if not _has_token(lowered, f"@{m.lower().lstrip('@')}")
    ]
    missing += [link for link in terms.links if not _links_to(lowered, url.lower(), link.lower())]
    missing += [code for code in terms.codes if not _has_token(lowered, code.lower())]
    if missing:
        return Verdict(False, False, tuple(missing))
    disclosure = terms.disclosure.strip().lower()
    if disclosure and not _has_token(lowered, disclosure):
        return Verdict(False, True, (terms.disclosure,))
    return Verdict(True, False, ())


def _has_token(text: str, token: str) -> bool:
    # Not inside a longer word or tag: "#ad" is not in "#adventure", "@lumiere" not in "@lumieres".
    return re.search(rf"(?<![\w#@]){re.escape(token)}(?![\w])", text) is not None


def _links_to(text: str, url: str, link: str) -> bool:
    bare = link.removeprefix("https://").removeprefix("http://")
    return bare in text or bare in url
