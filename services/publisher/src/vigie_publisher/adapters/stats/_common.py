"""What the statistics readers share: the plain text of a post and its creation time."""

import html
import re
from datetime import datetime

from vigie_publisher.adapters.networks._http import Json, iso_time
from vigie_publisher.domain.presence.stats import StatsNotRead

_TAG = re.compile(r"<[^>]+>")
# Pages read at most per list: recent posts stop at 100, so a few pages always suffice.
MAX_PAGES = 10


def plain_text(markup: str) -> str:
    """Mastodon answers HTML; the snapshot keeps readable text."""
    return " ".join(html.unescape(_TAG.sub(" ", markup)).split())


def created(item: Json, key: str) -> datetime:
    moment = iso_time(str(item.get(key) or ""))
    if moment is None:
        raise StatsNotRead(f"a post without a readable {key}: {str(item)[:120]}")
    return moment


def count(value: object) -> int:
    return int(value) if isinstance(value, int | float) else 0
