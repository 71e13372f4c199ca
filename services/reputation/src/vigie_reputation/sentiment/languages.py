"""The languages the shipped models were trained on, and how callers may name them."""

# UMSAB folder name -> ISO 639-1 code; the order is the order of the per-language weights.
TRAINED_LANGUAGES: dict[str, str] = {
    "arabic": "ar",
    "english": "en",
    "french": "fr",
    "german": "de",
    "hindi": "hi",
    "italian": "it",
    "portuguese": "pt",
    "spanish": "es",
}
CODES: tuple[str, ...] = tuple(TRAINED_LANGUAGES.values())


def language_code(language: str | None) -> str | None:
    """`"pt-BR"`, `"PT"` or `"portuguese"` -> `"pt"`; a language the model does not know -> None."""
    if not language:
        return None
    key = language.strip().lower().replace("_", "-").split("-")[0]
    code = TRAINED_LANGUAGES.get(key, key)
    return code if code in CODES else None
