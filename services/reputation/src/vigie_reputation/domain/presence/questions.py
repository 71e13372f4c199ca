"""Whether a mention asks the brand a question (pure, documented in docs/ANALYTICS.md).

A mention asks when its text holds a question mark of any script (QUESTION_MARKS), or opens
with an interrogative word of a supported language (en, fr, es, de, it, pt), once the
leading @handles, #tags and punctuation are set aside.
"""

import re

# ? ASCII, U+FF1F fullwidth, U+00BF inverted, U+061F Arabic, U+2E2E reversed, U+1367 Ethiopic.
QUESTION_MARKS = frozenset("?\uff1f\u00bf\u061f\u2e2e\u1367")

INTERROGATIVES = {
    "en": {
        "who",
        "what",
        "when",
        "where",
        "why",
        "how",
        "which",
        "whose",
        "is",
        "are",
        "do",
        "does",
        "did",
        "can",
        "could",
        "will",
        "would",
        "should",
        "has",
        "have",
        "any",
    },
    "fr": {
        "qui",
        "quoi",
        "quand",
        "où",
        "pourquoi",
        "comment",
        "combien",
        "quel",
        "quelle",
        "quels",
        "quelles",
        "est-ce",
        "lequel",
        "laquelle",
    },
    "es": {
        "quién",
        "quien",
        "qué",
        "que",
        "cuándo",
        "cuando",
        "dónde",
        "donde",
        "por qué",
        "cómo",
        "como",
        "cuál",
        "cual",
        "cuánto",
        "cuanto",
    },
    "de": {
        "wer",
        "was",
        "wann",
        "wo",
        "warum",
        "wie",
        "welche",
        "welcher",
        "welches",
        "wieso",
        "weshalb",
        "kann",
        "können",
        "gibt",
    },
    "it": {"chi", "cosa", "che", "quando", "dove", "perché", "perche", "come", "quale", "quanto"},
    "pt": {"quem", "que", "quando", "onde", "porque", "por que", "como", "qual", "quanto"},
}

_LEADING_NOISE = re.compile(r"^(?:\s|[@#]\S+|[^\w\s])+")
_WORDS = re.compile(r"[\w'\u2019-]+")


def asks_a_question(text: str, language: str) -> bool:
    if any(mark in QUESTION_MARKS for mark in text):
        return True
    words = _WORDS.findall(_LEADING_NOISE.sub("", text).lower())
    if not words:
        return False
    words_of = INTERROGATIVES.get(language.split("-", maxsplit=1)[0].lower(), set())
    return words[0] in words_of or " ".join(words[:2]) in words_of
