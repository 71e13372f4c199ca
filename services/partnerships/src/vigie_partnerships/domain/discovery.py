"""Who among the authors of mentions becomes a creator, and on which network they are.

A mention reaches this service because it matched one of a brand's listening queries, so its
author talks about the brand, a competitor or their topics; an author with reach (at least
`min_followers`) becomes a creator. Authors already known are followed whatever their reach.
"""

import re
from urllib.parse import urlparse

from vigie_partnerships.domain.creators import Account, Profile
from vigie_partnerships.domain.vetting.brand_safety import DISCLOSURES

_HOSTS = {
    "bsky.app": "bluesky",
    "x.com": "x",
    "twitter.com": "x",
    "instagram.com": "instagram",
    "tiktok.com": "tiktok",
    "youtube.com": "youtube",
    "facebook.com": "facebook",
    "linkedin.com": "linkedin",
}
_HASHTAG = re.compile(r"(?<![\w#])#(\w{2,40})")
MAX_TOPICS_FROM_TEXT = 5


def network_of(source_kind: str, url: str) -> str:
    """ "bluesky" or "mastodon" from the source; for other sources, from the post's address;
    "" when it cannot be told."""
    if source_kind in ("bluesky", "mastodon"):
        return source_kind
    host = (urlparse(url).hostname or "").removeprefix("www.").removeprefix("m.")
    return _HOSTS.get(host, "")


def discovered_profile(
    network: str,
    handle: str,
    author_id: str,
    display_name: str,
    followers: int,
    language: str,
    country: str,
    text: str,
) -> Profile:
    handle = handle.strip().removeprefix("@")
    disclosures = {d.removeprefix("#") for d in DISCLOSURES}
    tags = [t.lower() for t in _HASHTAG.findall(text) if t.lower() not in disclosures]
    return Profile(
        display_name=display_name.strip() or handle,
        accounts=(Account(network, handle, author_id.strip() or handle.lower(), followers),),
        languages=(language.lower(),) if language else (),
        countries=(country.upper(),) if country else (),
        topics=tuple(dict.fromkeys(tags))[:MAX_TOPICS_FROM_TEXT],
    )
