"""Macro-F1 of any `SentimentModel` on labelled texts, per language (the UMSAB report)."""

from .data import LabelledTexts
from .metrics import mean_language_f1, per_language_f1
from .model import LABELS, Sentiment, SentimentModel

BATCH_SIZE = 256
# Thresholds tried for the cascade, in the order tried: the first good enough embeds the least.
CASCADE_THRESHOLDS = tuple(step / 20 for step in range(10, 20))


def predictions(
    model: SentimentModel, data: LabelledTexts, batch_size: int = BATCH_SIZE
) -> list[Sentiment]:
    """The model's sentiment of every text, predicted in batches of `batch_size`."""
    out: list[Sentiment] = []
    for start in range(0, len(data.texts), batch_size):
        texts = data.texts[start : start + batch_size]
        out += model.predict(texts, list(data.languages[start : start + batch_size]))
    return out


def label_indices(sentiments: list[Sentiment]) -> list[int]:
    return [LABELS.index(s.label) for s in sentiments]


def evaluate(model: SentimentModel, data: LabelledTexts) -> dict[str, float]:
    """Macro-F1 (0-100) per language and their mean under the key `"mean"`."""
    predicted = label_indices(predictions(model, data))
    scores = per_language_f1(data.labels, predicted, data.languages)
    report = {language: round(100 * f1, 2) for language, f1 in scores.items()}
    report["mean"] = round(100 * sum(scores.values()) / len(scores), 2)
    return report


def choose_cascade_threshold(
    accurate: list[Sentiment], fast: list[Sentiment], data: LabelledTexts, tolerance: float
) -> tuple[float, float]:
    """The lowest confidence of the fast model below which the accurate one must decide, such
    that the mean macro-F1 stays within `tolerance` (0-1) of the accurate model's alone; and
    the share of texts that then go to the accurate model."""
    target = mean_language_f1(data.labels, label_indices(accurate), data.languages) - tolerance
    for threshold in CASCADE_THRESHOLDS:
        unsure = [s.confidence < threshold for s in fast]
        chosen = [a if u else f for a, f, u in zip(accurate, fast, unsure, strict=True)]
        if mean_language_f1(data.labels, label_indices(chosen), data.languages) >= target:
            return threshold, sum(unsure) / len(unsure)
    return 1.0, 1.0
