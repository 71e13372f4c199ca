"""Each network's documented publishing caps, to warn when a schedule would go past them."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from vigie_publisher.domain.text import Network


@dataclass(frozen=True)
class Cap:
    posts: int
    window: timedelta
    source: str


CAPS: dict[Network, Cap] = {
    # createRecord costs 3 of 5,000 points an hour per account.
    Network.BLUESKY: Cap(1666, timedelta(hours=1), "Bluesky PDS write points"),
    Network.MASTODON: Cap(300, timedelta(hours=3), "Mastodon statuses per 3 hours"),
    Network.X: Cap(100, timedelta(hours=24), "X API v2 posts per user per 24 hours (Basic)"),
    Network.INSTAGRAM: Cap(50, timedelta(hours=24), "Instagram content publishing limit"),
    Network.THREADS: Cap(250, timedelta(hours=24), "Threads API posts per 24 hours"),
    Network.LINKEDIN: Cap(150, timedelta(hours=24), "LinkedIn member posts per day"),
    Network.FACEBOOK: Cap(200, timedelta(hours=24), "Facebook Page posts (rate-limited per hour)"),
}


def cap_warning(
    network: Network, handle: str, at: datetime, scheduled: Sequence[datetime]
) -> str | None:
    """A warning when `at` joins more posts than the cap in any window around it."""
    cap = CAPS[network]
    near = sorted([*(t for t in scheduled if abs(t - at) < cap.window), at])
    for i, start in enumerate(near):
        within = [t for t in near[i:] if t - start < cap.window]
        if len(within) > cap.posts:
            return (
                f"{handle}: {len(within)} posts within {cap.window} passes the {cap.source} "
                f"({cap.posts}); the network will refuse or delay some"
            )
    return None
