"""A tracked account's handle checked against its network's syntax, in one written form, so
the same account is never tracked twice for a brand under two spellings."""

import re

# atproto handles: dot-separated DNS labels, at least two, the last not starting with a digit.
_BLUESKY = re.compile(r"^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?$")
_DID = re.compile(r"^did:(plc|web):[a-z0-9._:%-]{1,240}$")
_MASTODON_USER = re.compile(r"^[a-z0-9_]([a-z0-9_.-]{0,28}[a-z0-9_])?$")
_DOMAIN = re.compile(r"^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}(:\d{1,5})?$")
_X = re.compile(r"^[a-z0-9_]{1,15}$")


class BadHandle(ValueError):
    """The handle cannot name an account on the network."""


def normalized_handle(network: str, handle: str) -> str:
    """The handle as stored: lower case, with the network's own leading '@' form."""
    text = handle.strip().lower()
    if network == "bluesky":
        return _bluesky(text.removeprefix("@"))
    if network == "mastodon":
        return _mastodon(text.removeprefix("@"))
    if network == "x":
        if not _X.match(text.removeprefix("@")):
            raise BadHandle("an X username is 1 to 15 letters, digits or underscores")
        return "@" + text.removeprefix("@")
    if not text or len(text) > 320 or any(c.isspace() for c in text):
        raise BadHandle("must be 1 to 320 characters without spaces")
    return text


def mastodon_parts(handle: str) -> tuple[str, str]:
    """(username, instance domain) of a stored Mastodon handle ("@user@domain")."""
    user, _, domain = handle.removeprefix("@").partition("@")
    return user, domain


def _bluesky(text: str) -> str:
    if len(text) > 253 or not (_BLUESKY.match(text) or _DID.match(text)):
        raise BadHandle("a Bluesky handle is a domain name (alice.bsky.social) or a DID")
    return text if text.startswith("did:") else "@" + text


def _mastodon(text: str) -> str:
    user, at, domain = text.partition("@")
    if not at or not _MASTODON_USER.match(user) or not _DOMAIN.match(domain):
        raise BadHandle("a Mastodon handle is @user@instance, e.g. @lumiere@mastodon.social")
    return f"@{user}@{domain}"
