"""Instagram's mention grammar: usernames of letters, digits, `_` and `.`, up to 30."""

import regex

MENTION = regex.compile(r"(?<![\w@.])@[a-z0-9_.]{1,30}(?![\w])", regex.IGNORECASE)


def instagram_mention_starts(text: str) -> list[int]:
    return [match.start() for match in MENTION.finditer(text)]
