"""An item a source delivers, cleaned before matching: the same rules for every source."""

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field, replace
from datetime import datetime
from urllib.parse import urlsplit, urlunsplit

MAX_EXTERNAL_ID = 512
MAX_URL = 2048
_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass(frozen=True)
class Author:
    handle: str = ""
    display_name: str = ""
    followers: int = 0
    external_id: str = ""


@dataclass(frozen=True)
class SourceItem:
    """One post, article or pushed mention, as a connector read it."""

    external_id: str
    text: str
    published_at: datetime
    url: str = ""
    # BCP 47, when the source says; detected otherwise.
    language: str = ""
    author: Author = field(default_factory=Author)
    # (external id, url) of the item it replies to or quotes.
    reply_to: tuple[str, str] | None = None
    quote_of: tuple[str, str] | None = None
    # (external id, url) of the item it reposts: engagement only, never a mention (no text).
    repost_of: tuple[str, str] | None = None
    country: str = ""
    # Set for pushed items: the one brand the partner says it is about.
    brand_id: str | None = None


class BadItem(ValueError):
    """An item that cannot be captured; the reason is an UPPER_SNAKE code."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


def _valid_unicode(text: str) -> str:
    # Lone surrogates (invalid UTF-8 decoded leniently) cannot be stored or sent: replaced.
    return _SURROGATE.sub("\ufffd", text)


def clean(item: SourceItem, max_text_length: int) -> SourceItem:
    """NFC text cut to `max_text_length`; BadItem when the item cannot be kept at all."""
    if not item.external_id or len(item.external_id) > MAX_EXTERNAL_ID:
        raise BadItem(
            "EXTERNAL_ID_INVALID", f"an external id has 1 to {MAX_EXTERNAL_ID} characters"
        )
    if len(item.url) > MAX_URL:
        raise BadItem("URL_TOO_LONG", f"a URL has at most {MAX_URL} characters")
    text = unicodedata.normalize("NFC", _valid_unicode(item.text))[:max_text_length]
    if not text.strip() and item.repost_of is None:
        raise BadItem("TEXT_EMPTY", "the item has no text")
    return replace(item, text=text, url=_valid_unicode(item.url).strip())


def url_key(url: str) -> str | None:
    """The same page whatever the letter case of its host or a fragment; None without a URL."""
    if not url:
        return None
    parts = urlsplit(url)
    path = parts.path.rstrip("/") or "/"
    normal = urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, parts.query, ""))
    return hashlib.sha256(normal.encode()).hexdigest()[:40]
