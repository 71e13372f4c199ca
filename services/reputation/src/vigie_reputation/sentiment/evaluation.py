"""Macro-F1 of any `SentimentModel` on labelled texts, per language (the UMSAB report)."""

from .data import LabelledTexts
from .metrics import per_language_f1
from .model import LABELS, SentimentModel

BATCH_SIZE = 256


def predicted_labels(
    model: SentimentModel, data: LabelledTexts, batch_size: int = BATCH_SIZE
) -> list[int]:
    """The model's label index for every text, predicted in batches of `batch_size`."""
    out: list[int] = []
    for start in range(0, len(data.texts), batch_size):
        texts = data.texts[start : start + batch_size]
        languages = data.languages[start : start + batch_size]
        out += [LABELS.index(s.label) for s in model.predict(texts, list(languages))]
    return out


def evaluate(model: SentimentModel, data: LabelledTexts) -> dict[str, float]:
    """Macro-F1 (0-100) per language and their mean under the key `"mean"`."""
    scores = per_language_f1(data.labels, predicted_labels(model, data), data.languages)
    report = {language: round(100 * f1, 2) for language, f1 in scores.items()}
    report["mean"] = round(100 * sum(scores.values()) / len(scores), 2)
    return report
