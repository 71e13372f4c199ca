"""Emoji sequences as twitter-text counts them: one emoji, however many code points, weighs 2."""

import regex

# Text-style symbols that only count as emoji with the emoji presentation selector (U+FE0F).
_TEXT_STYLE_ONLY = "\xa9\xae\u2122\u265f"
_ELEMENT = (
    rf"(?:[{_TEXT_STYLE_ONLY}]\ufe0f"
    r"|\p{Emoji_Modifier_Base}\p{Emoji_Modifier}"
    rf"|(?![{_TEXT_STYLE_ONLY}#*0-9])[\p{{Extended_Pictographic}}\p{{Emoji_Presentation}}]"
    r"\ufe0f?\p{Emoji_Modifier}?)"
)
EMOJI = regex.compile(
    r"\p{Regional_Indicator}{2}"  # a flag
    r"|[#*0-9]\ufe0f?\u20e3"  # a keycap
    r"|\U0001f3f4[\U000e0020-\U000e007e]+\U000e007f"  # a subdivision flag (tag sequence)
    rf"|{_ELEMENT}(?:\u200d{_ELEMENT})*"  # a single emoji or a ZWJ sequence
)


def find_emoji(text: str) -> dict[int, int]:
    """The start and end offset of each emoji sequence, left to right."""
    return {match.start(): match.end() for match in EMOJI.finditer(text)}
