"""A fetched RSS 2.0 / Atom / RDF document as the capture pipeline's items (no I/O).

feedparser copes with broken documents (it sets `bozo` and keeps what it could read), so a
feed with one bad part still yields its good entries; the problem is reported, not raised.
"""

import calendar
import hashlib
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import feedparser

from vigie_listener.adapters.feeds_html import html_to_text
from vigie_listener.domain.items import MAX_EXTERNAL_ID, MAX_URL, Author, SourceItem

# An entry bigger than this (HTML included) is skipped and counted rather than parsed into
# text: no article needs it, and it would cost every query a scan.
MAX_ENTRY_CHARS = 500_000


@dataclass(frozen=True)
class FeedPage:
    """The readable entries of one document, how many were skipped, and what was wrong."""

    items: tuple[SourceItem, ...] = ()
    # Ids of the entries that cannot be captured (giant, or without any text).
    skipped: tuple[str, ...] = ()
    problem: str = ""
    # The document was not a feed at all (nothing readable): an error, not an empty feed.
    unreadable: bool = False


def parse_feed(body: bytes, url: str, content_type: str = "") -> FeedPage:
    headers = {"content-location": url}
    if content_type:
        headers["content-type"] = content_type
    parsed: Any = feedparser.parse(body, response_headers=headers)
    problem = _problem(parsed)
    if not parsed.entries and (problem or not parsed.get("version")):
        return FeedPage(problem=problem or "not an RSS or Atom feed", unreadable=True)
    language = _language(parsed.feed.get("language", ""))
    items: list[SourceItem] = []
    skipped: list[str] = []
    for entry in parsed.entries:
        item = _item(entry, language)
        if isinstance(item, SourceItem):
            items.append(item)
        else:
            skipped.append(item)
    return FeedPage(tuple(items), tuple(skipped), problem)


def _problem(parsed: Any) -> str:
    if not parsed.get("bozo"):
        return ""
    error = parsed.get("bozo_exception")
    return f"{type(error).__name__}: {error}"[:500]


def _item(entry: Any, feed_language: str) -> SourceItem | str:
    """The entry as an item, or its id when it cannot be one."""
    body, body_language = _body(entry)
    raw_title = str(entry.get("title", ""))
    link = str(entry.get("link", ""))
    if len(body) + len(raw_title) > MAX_ENTRY_CHARS:
        return _entry_id(entry, link, raw_title[:1000] + body[:1000])
    text = "\n\n".join(part for part in (html_to_text(raw_title), html_to_text(body)) if part)
    if not text:
        return _entry_id(entry, link, "")
    return SourceItem(
        external_id=_entry_id(entry, link, text),
        text=text,
        published_at=_published(entry),
        url=link if link.startswith(("http://", "https://")) and len(link) <= MAX_URL else "",
        language=body_language or feed_language,
        author=_author(entry),
    )


def _body(entry: Any) -> tuple[str, str]:
    """The richest body of the entry (Atom content, else the summary) and its language."""
    for content in entry.get("content") or ():
        if content.get("value"):
            return str(content["value"]), _language(content.get("language") or "")
    detail = entry.get("summary_detail") or {}
    return str(entry.get("summary", "")), _language(detail.get("language") or "")


def _entry_id(entry: Any, link: str, text: str) -> str:
    # Some feeds have neither guid nor link: the text is then the entry's identity.
    found = str(entry.get("id") or link or "")
    if found and len(found) <= MAX_EXTERNAL_ID:
        return found
    return "sha256:" + hashlib.sha256((found or text).encode("utf-8", "replace")).hexdigest()


def _published(entry: Any) -> datetime:
    moment: time.struct_time | None = entry.get("published_parsed") or entry.get("updated_parsed")
    if moment is None:
        return datetime.now(UTC)
    return datetime.fromtimestamp(calendar.timegm(moment), UTC)


def _author(entry: Any) -> Author:
    detail = entry.get("author_detail") or {}
    name = str(detail.get("name") or entry.get("author") or "")[:256]
    handle = str(detail.get("email") or detail.get("href") or name)[:256]
    return Author(handle=handle, display_name=name, external_id=str(detail.get("href", ""))[:256])


def _language(tag: str) -> str:
    """The primary subtag of a BCP 47 tag ('fr-FR' -> 'fr'), the form detection produces."""
    return tag.strip().split("-")[0].split("_")[0].lower()[:35]
