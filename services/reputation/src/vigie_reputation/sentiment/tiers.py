"""The two shipped tiers: `fast` (hashed n-grams alone) and `default` (stacked with USE)."""

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .embedding import SentenceEmbedder
from .languages import language_code
from .linear import DenseLinear, HashedLinear, Matrix, log_probabilities
from .model import Sentiment, SentimentModel, sentiments


def _codes(languages: Sequence[str | None]) -> list[str | None]:
    return [language_code(language) for language in languages]


def stacking_features(ngram: Matrix, embedding: Matrix) -> Matrix:
    """What the stacking head reads: both components' log-probabilities.

    Per-language terms here were tried and lowered val macro-F1 (60.7 -> 60.4).
    """
    return np.hstack([log_probabilities(ngram), log_probabilities(embedding)])


@dataclass(frozen=True)
class FastModel:
    """Word and character n-grams, hashed, and a linear model: thousands of texts a second."""

    version: str
    ngrams: HashedLinear
    name: str = "fast"

    def predict(self, texts: Sequence[str], languages: Sequence[str | None]) -> list[Sentiment]:
        return sentiments(texts, self.ngrams.probabilities(texts, _codes(languages)))


@dataclass(frozen=True)
class StackedModel:
    """The n-gram model and a USE-embedding model, combined by a small logistic regression."""

    version: str
    ngrams: HashedLinear
    embedder: SentenceEmbedder
    embedding_head: DenseLinear
    stacking_head: DenseLinear
    name: str = "default"

    def predict(self, texts: Sequence[str], languages: Sequence[str | None]) -> list[Sentiment]:
        codes = _codes(languages)
        ngram = self.ngrams.probabilities(texts, codes)
        embedding = self.embedding_head.probabilities(self.embedder.embed(texts))
        features = stacking_features(ngram, embedding)
        return sentiments(texts, self.stacking_head.probabilities(features))


@dataclass(frozen=True)
class CascadeModel:
    """The fast model where it is confident, the accurate one for the rest: most of the
    accurate model's macro-F1 for a fraction of its cost."""

    fast: SentimentModel
    accurate: SentimentModel
    threshold: float
    name: str = "cascade"

    @property
    def version(self) -> str:
        return self.accurate.version

    def predict(self, texts: Sequence[str], languages: Sequence[str | None]) -> list[Sentiment]:
        result = self.fast.predict(texts, languages)
        unsure = [i for i, s in enumerate(result) if 0 < s.confidence < self.threshold]
        second = self.accurate.predict([texts[i] for i in unsure], [languages[i] for i in unsure])
        for i, sentiment in zip(unsure, second, strict=True):
            result[i] = sentiment
        return result
