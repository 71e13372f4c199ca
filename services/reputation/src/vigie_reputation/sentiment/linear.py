"""A linear classifier over hashed n-gram features, evaluated with numpy alone."""

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from .features import FeatureSpec, featurize

Matrix = npt.NDArray[np.float32]


def softmax(logits: Matrix) -> Matrix:
    shifted = np.exp(logits - logits.max(axis=1, keepdims=True))
    probabilities: Matrix = (shifted / shifted.sum(axis=1, keepdims=True)).astype(np.float32)
    return probabilities


def log_probabilities(probabilities: Matrix) -> Matrix:
    """Clipped log: the stacking head reads its components' opinions on this scale."""
    return np.log(np.clip(probabilities, 1e-6, 1.0)).astype(np.float32)


@dataclass(frozen=True)
class HashedLinear:
    """`weights[bucket, label]`, one row per hash bucket of `spec`."""

    spec: FeatureSpec
    weights: Matrix
    bias: Matrix

    def logits(self, texts: Sequence[str], languages: Sequence[str | None]) -> Matrix:
        rows = featurize(texts, languages, self.spec)
        row_of = np.repeat(np.arange(len(texts)), np.diff(rows.indptr))
        contributions = self.weights[rows.indices] * rows.values[:, None]
        out = np.empty((len(texts), self.bias.shape[0]), dtype=np.float32)
        for k in range(out.shape[1]):
            out[:, k] = np.bincount(row_of, weights=contributions[:, k], minlength=len(texts))
        return out + self.bias

    def probabilities(self, texts: Sequence[str], languages: Sequence[str | None]) -> Matrix:
        return softmax(self.logits(texts, languages))


@dataclass(frozen=True)
class DenseLinear:
    """A multinomial logistic regression over dense features (sentence embeddings)."""

    weights: Matrix
    bias: Matrix

    def probabilities(self, features: Matrix) -> Matrix:
        return softmax(features @ self.weights + self.bias)
