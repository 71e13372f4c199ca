"""Mastodon's Status entities and server-sent events as plain values (no I/O): a status as
the capture pipeline's item, and the `text/event-stream` lines of the streaming API as events.
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from vigie_listener.adapters.feeds_html import html_to_text
from vigie_listener.domain.items import Author, SourceItem


def newer(status_id: str, than: str) -> bool:
    """Mastodon ids are decimal snowflakes in strings: compared as numbers, not as text."""
    if not than:
        return True
    return (len(status_id), status_id) > (len(than), than)


def status_item(status: dict[str, Any]) -> SourceItem:
    """A status as an item; a boost is the boosted status (one mention whoever boosts it)."""
    if isinstance(status.get("reblog"), dict):
        status = status["reblog"]
    account = status.get("account") or {}
    text = html_to_text(str(status.get("content") or ""))
    warning = str(status.get("spoiler_text") or "").strip()
    return SourceItem(
        # The ActivityPub URI names the status on every instance; its id only on this one.
        external_id=str(status.get("uri") or status.get("url") or status["id"]),
        text=f"{warning}\n\n{text}" if warning else text,
        published_at=_when(str(status.get("created_at") or "")),
        url=str(status.get("url") or status.get("uri") or ""),
        language=str(status.get("language") or "").split("-")[0].lower(),
        author=Author(
            handle=f"@{account.get('acct', '')}" if account.get("acct") else "",
            display_name=str(account.get("display_name") or "")[:256],
            followers=int(account.get("followers_count") or 0),
            external_id=str(account.get("url") or account.get("id") or "")[:256],
        ),
    )


def _when(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return datetime.now(UTC)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@dataclass(frozen=True)
class StreamEvent:
    event: str
    data: str


@dataclass
class EventStreamParser:
    """Server-sent events, line by line: `event:` and `data:` fields up to a blank line;
    comments (Mastodon's `:thump` heartbeats) only prove the connection is alive."""

    heartbeats: int = 0
    _event: str = ""
    _data: list[str] = field(default_factory=list)

    def feed(self, line: str) -> StreamEvent | None:
        if not line:
            event, data = self._event or "message", "\n".join(self._data)
            self._event, self._data = "", []
            return StreamEvent(event, data) if data else None
        if line.startswith(":"):
            self.heartbeats += 1
            return None
        name, _, value = line.partition(":")
        value = value.removeprefix(" ")
        if name == "event":
            self._event = value
        elif name == "data":
            self._data.append(value)
        return None
