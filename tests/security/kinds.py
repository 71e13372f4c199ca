"""Which kind of resource an argument names, from its name alone: `brandId`, `brand_ids`,
`social_account`, the `name` of `GetListeningQuery`... A kind is the collection of the resource
names (`tenants/{t}/brands/{b}/posts/{p}` is of kind `posts`). An argument whose kind cannot be
told is tried with every kind of resource (see `candidates`)."""

import re

# Names that say nothing of their kind by themselves.
ALIASES: dict[str, tuple[str, ...]] = {
    "scope": ("brands", "subsidiaries"),
    "account": ("socialAccounts", "trackedAccounts"),
    "author": ("members",),
    "approvers": ("members",),
    "assignee": ("members",),
    "schedule": ("reportSchedules",),
    "organization": ("tenants",),
    "tenant": ("tenants",),
    "competitors": ("brands",),
    "matchedqueries": ("listeningQueries",),
    "matchedmentions": ("mentions",),
    "inreplyto": ("mentions",),
}
# Words that end argument names without naming a kind.
_SUFFIXES = ("ids", "id", "names", "name")


def words(identifier: str) -> str:
    """`social_account`, `socialAccountIds`, `SocialAccount` -> `socialaccountids` etc."""
    return re.sub(r"[^a-z0-9]", "", identifier.lower())


def singular(kind: str) -> str:
    lowered = words(kind)
    if lowered.endswith("ises"):  # crises
        return lowered[:-2] + "s"
    if lowered.endswith("ies"):
        return lowered[:-3] + "y"
    return lowered.removesuffix("s")


def noun_of_field(field: str) -> str:
    """`brandIds` -> `brand`, `social_account` -> `socialaccount`, `brands` -> `brand`."""
    lowered = words(field)
    for suffix in _SUFFIXES:
        if lowered.endswith(suffix) and len(lowered) > len(suffix):
            lowered = lowered[: -len(suffix)]
            break
    return lowered


def noun_of_operation(operation: str) -> str:
    """`GetListeningQuery` / `deleteListeningQuery` -> `listeningquery`; the verb dropped."""
    parts = re.findall(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])", operation[:1].upper() + operation[1:])
    rest = parts[1:]
    if rest and parts[0] == "Batch":
        rest = rest[1:]
    return words("".join(rest)) or words(operation)


def kinds_of(noun: str, known: list[str]) -> list[str]:
    """The known kinds `noun` names: an alias, or the longest kind its end spells."""
    if noun in ALIASES:
        return [k for k in ALIASES[noun] if k in known]
    nouns = (noun, noun.removesuffix("s"))  # `mentionsentiments` names sentiments
    matches = [k for k in known if any(n.endswith((singular(k), words(k))) for n in nouns)]
    if not matches:
        return []
    longest = max(len(singular(k)) for k in matches)
    return [k for k in matches if len(singular(k)) == longest]
