"""A creator as imported or discovered: one person, accounts on several networks.

Validation is here, with no I/O, so the gRPC import, the CSV import and discovery from mentions
refuse the same things for the same reasons.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

NETWORKS = frozenset(
    {"bluesky", "mastodon", "x", "instagram", "tiktok", "youtube", "facebook", "linkedin", "rss"}
)
MAX_ACCOUNTS = 20
MAX_TAGS = 30
_LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")


class RefusedCreator(ValueError):
    """A creator that cannot be imported; `reason` is stable UPPER_SNAKE."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message


@dataclass(frozen=True)
class Account:
    network: str
    handle: str
    network_id: str
    followers: int = 0
    following: int = 0
    posts: int = 0
    profile_url: str = ""
    opened_at: datetime | None = None
    mean_engagements_per_post: float = 0.0


@dataclass(frozen=True)
class Profile:
    display_name: str
    accounts: tuple[Account, ...]
    languages: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    topics: tuple[str, ...] = field(default=())


def checked_profile(profile: Profile) -> Profile:
    """The profile, normalised; RefusedCreator when it cannot be imported."""
    if not profile.accounts:
        raise RefusedCreator("NO_ACCOUNT", "a creator needs at least one account")
    if len(profile.accounts) > MAX_ACCOUNTS:
        raise RefusedCreator("TOO_MANY_ACCOUNTS", f"at most {MAX_ACCOUNTS} accounts")
    accounts = tuple(checked_account(a) for a in profile.accounts)
    keys = [(a.network, a.network_id) for a in accounts]
    if len(set(keys)) != len(keys):
        raise RefusedCreator("DUPLICATE_ACCOUNT", "the same account is listed twice")
    name = profile.display_name.strip() or accounts[0].handle
    if len(name) > 200:
        raise RefusedCreator("INVALID_DISPLAY_NAME", "display_name: at most 200 characters")
    return Profile(
        display_name=name,
        accounts=accounts,
        languages=_tags(profile.languages, "languages", _LANGUAGE, str.lower),
        countries=_tags(profile.countries, "countries", _COUNTRY, str.upper),
        topics=_tags(profile.topics, "topics", None, lambda t: t.strip().lower()),
    )


def checked_account(account: Account) -> Account:
    network = account.network.strip().lower()
    if network not in NETWORKS:
        raise RefusedCreator("UNKNOWN_NETWORK", f"network {account.network!r} is not known")
    handle = account.handle.strip()
    network_id = account.network_id.strip() or handle.lower()
    if not handle or len(handle) > 200 or len(network_id) > 200:
        raise RefusedCreator("INVALID_HANDLE", "an account needs a handle of 1 to 200 characters")
    counts = (account.followers, account.following, account.posts)
    if any(c < 0 for c in counts) or account.mean_engagements_per_post < 0:
        raise RefusedCreator("NEGATIVE_COUNT", "counts cannot be negative")
    return Account(
        network=network,
        handle=handle,
        network_id=network_id,
        followers=account.followers,
        following=account.following,
        posts=account.posts,
        profile_url=account.profile_url.strip()[:500],
        opened_at=account.opened_at,
        mean_engagements_per_post=account.mean_engagements_per_post,
    )


def _tags(
    values: tuple[str, ...],
    what: str,
    pattern: re.Pattern[str] | None,
    normalise: Callable[[str], str],
) -> tuple[str, ...]:
    cleaned = [normalise(v.strip()) for v in values if v.strip()]
    if len(cleaned) > MAX_TAGS:
        raise RefusedCreator("TOO_MANY_VALUES", f"{what}: at most {MAX_TAGS}")
    for value in cleaned:
        if (pattern is not None and not pattern.match(value)) or len(value) > 64 or "|" in value:
            raise RefusedCreator("INVALID_VALUE", f"{what}: {value!r} is not valid")
    return tuple(dict.fromkeys(cleaned))
