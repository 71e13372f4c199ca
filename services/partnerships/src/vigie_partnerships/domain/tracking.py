"""Tracking codes and links: readable, collision-free codes and UTM-tagged links.

A generated code is the creator's handle and the campaign's first word, upper-cased and reduced
to letters and digits ("ALICE-AUTUMN"); when taken, "-2", "-3", ... is added until it is free.
A tracked link is the destination with `utm_source=vigie`, `utm_medium=influencer`,
`utm_campaign=<campaign id>` and `utm_content=<code>` (existing parameters are kept).
"""

import re
from collections.abc import Callable
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

_NOT_CODE = re.compile(r"[^A-Z0-9]+")
CODE = re.compile(r"^[A-Z0-9][A-Z0-9_-]{2,39}$")


def code_key(code: str) -> str:
    """Codes are compared without case: "alice10" at checkout is "ALICE10"."""
    return code.strip().upper()


def generated_code(handle: str, campaign: str, taken: Callable[[str], bool]) -> str:
    person = _NOT_CODE.sub("", handle.split(".", maxsplit=1)[0].upper())[:16] or "CREATOR"
    words = _NOT_CODE.sub(" ", campaign.upper()).split()
    base = f"{person}-{words[0][:16]}" if words else person
    candidate, suffix = base, 2
    while taken(candidate):
        candidate, suffix = f"{base}-{suffix}", suffix + 1
    return candidate


def tracked_link(destination: str, campaign_id: str, code: str) -> str:
    parts = urlsplit(destination)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError("the destination must be an http(s) URL")
    query = [(k, v) for k, v in parse_qsl(parts.query) if not k.startswith("utm_")]
    query += [
        ("utm_source", "vigie"),
        ("utm_medium", "influencer"),
        ("utm_campaign", campaign_id),
        ("utm_content", code),
    ]
    return urlunsplit(parts._replace(query=urlencode(query)))
