"""What the reputation service asks of a sentiment model, whatever model answers."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

import numpy as np
import numpy.typing as npt

Label = Literal["negative", "neutral", "positive"]
# The order of the columns of every probability matrix, and of the training labels 0, 1, 2.
LABELS: tuple[Label, Label, Label] = ("negative", "neutral", "positive")


@dataclass(frozen=True)
class Sentiment:
    """The most likely label, its probability, and the probability of each label."""

    label: Label
    confidence: float
    scores: Mapping[Label, float]


class SentimentModel(Protocol):
    """A sentiment classifier; `languages[i]` is an ISO 639-1 code of `texts[i]`, or None."""

    @property
    def name(self) -> str: ...

    @property
    def version(self) -> str: ...

    def predict(self, texts: Sequence[str], languages: Sequence[str | None]) -> list[Sentiment]: ...


NO_OPINION = Sentiment("neutral", 0.0, dict.fromkeys(LABELS, 0.0))


def sentiments(texts: Sequence[str], probabilities: npt.NDArray[np.floating]) -> list[Sentiment]:
    """One `Sentiment` per row; a blank text says nothing, so it is neutral with confidence 0."""
    result = []
    for text, row in zip(texts, probabilities.tolist(), strict=True):
        if not text.strip():
            result.append(NO_OPINION)
            continue
        best = max(range(len(LABELS)), key=row.__getitem__)
        scores = dict(zip(LABELS, row, strict=True))
        result.append(Sentiment(LABELS[best], row[best], scores))
    return result
