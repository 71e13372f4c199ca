"""Where a feed source resumes: the validators of the last document (for a conditional GET)
and the ids of the entries already handled, stored as the source's cursor (JSON)."""

import json
from dataclasses import dataclass, field

from vigie_listener.adapters.feeds_http import Validators

# Feeds show their latest entries only; remembering a few thousand covers any real window.
MAX_SEEN = 5000


@dataclass(frozen=True)
class FeedCursor:
    validators: Validators = field(default_factory=Validators)
    seen: tuple[str, ...] = ()

    @classmethod
    def parse(cls, stored: str) -> "FeedCursor":
        try:
            data = json.loads(stored) if stored else {}
            validators = Validators(str(data.get("etag", "")), str(data.get("modified", "")))
            return cls(validators, tuple(str(s) for s in data.get("seen", ())))
        except (ValueError, AttributeError, TypeError):
            return cls()  # an unreadable cursor: start afresh (capture still de-duplicates)

    def unseen(self, ids: list[str]) -> set[str]:
        known = set(self.seen)
        return {entry_id for entry_id in ids if entry_id not in known}

    def after(self, validators: Validators, handled: list[str]) -> "FeedCursor":
        """The cursor once `handled` ids are captured: newest last, the oldest forgotten."""
        known = set(self.seen)
        fresh = [entry_id for entry_id in dict.fromkeys(handled) if entry_id not in known]
        return FeedCursor(validators, (self.seen + tuple(fresh))[-MAX_SEEN:])

    def dump(self) -> str:
        data = {
            "etag": self.validators.etag,
            "modified": self.validators.last_modified,
            "seen": list(self.seen),
        }
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"))
