"""A brand's unsafe keywords: the defaults every brand starts from, and the rules a list of its
own must follow (so that matching, which is by whole lower-cased word, means what it says)."""

# Words that make a voice unsafe for most brands.
DEFAULT_UNSAFE_KEYWORDS = ("scam", "casino", "betting", "nsfw", "hate", "racist", "fraud", "porn")
MAX_KEYWORDS = 200
MAX_KEYWORD_LENGTH = 100


class InvalidKeywords(ValueError):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def checked_keywords(words: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """The list trimmed, lower-cased and without repeats, in the order given."""
    cleaned = tuple(dict.fromkeys(" ".join(w.split()).lower() for w in words))
    if len(cleaned) > MAX_KEYWORDS:
        raise InvalidKeywords(f"at most {MAX_KEYWORDS} keywords")
    for word in cleaned:
        if not 1 <= len(word) <= MAX_KEYWORD_LENGTH:
            raise InvalidKeywords(f"each keyword has 1 to {MAX_KEYWORD_LENGTH} characters")
        if not any(c.isalnum() for c in word):
            raise InvalidKeywords(f"{word!r} has no letter or digit to match")
    return cleaned
