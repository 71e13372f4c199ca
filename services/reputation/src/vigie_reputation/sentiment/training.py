"""Training the shipped model (needs the `train` dependency group: scikit-learn, scipy; scipy
has no type hints, and CI type-checks this module without it).

Each component's regularisation is chosen on `val`; the stacking head learns from out-of-fold
probabilities on `train`, so it sees the components as they behave on texts they never saw.
Every random choice is seeded, and L-BFGS is deterministic: the same data gives the same model.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy.sparse import csr_matrix  # type: ignore[import-untyped,import-not-found,unused-ignore]
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold

from .data import LabelledTexts
from .features import FeatureSpec, featurize
from .linear import Matrix
from .metrics import mean_language_f1
from .tiers import stacking_features

SEED = 20260101
FOLDS = 4
NGRAM_C = (3.0, 10.0)
EMBEDDING_C = (1.0, 3.0)
STACKING_C = (0.1, 1.0)

Features = Any  # a numpy matrix or a scipy CSR matrix


@dataclass(frozen=True)
class Component:
    """A fitted logistic regression, its C, and its probabilities on train (out of fold) and val."""

    c: float
    weights: Matrix
    bias: Matrix
    train_probabilities: Matrix
    val_probabilities: Matrix


def sparse_features(texts: Sequence[str], spec: FeatureSpec) -> Features:
    # The n-gram model never sees the language: it must work when the language is unknown.
    rows = featurize(texts, [None] * len(texts), spec)
    shape = (len(texts), spec.n_buckets)
    return csr_matrix((rows.values, rows.indices, rows.indptr), shape=shape)


def fit_logistic(features: Features, labels: npt.NDArray[np.int64], c: float) -> LogisticRegression:
    return LogisticRegression(C=c, max_iter=3000).fit(features, labels)


def _out_of_fold(features: Features, data: LabelledTexts, c: float) -> Matrix:
    labels = np.asarray(data.labels)
    strata = [f"{label}{lang}" for label, lang in zip(data.labels, data.languages, strict=True)]
    folds = StratifiedKFold(FOLDS, shuffle=True, random_state=SEED).split(labels, strata)
    out = np.zeros((len(labels), 3), dtype=np.float32)
    for fit_rows, held_out in folds:
        out[held_out] = fit_logistic(features[fit_rows], labels[fit_rows], c).predict_proba(
            features[held_out]
        )
    return out


def choose_c(
    train: tuple[Features, LabelledTexts],
    val: tuple[Features, LabelledTexts],
    grid: Sequence[float],
    log: Callable[[str], None],
) -> tuple[float, LogisticRegression]:
    """The C of `grid` whose model has the best mean macro-F1 on val, and that model."""
    (x_train, train_data), (x_val, val_data) = train, val
    best: tuple[float, float, LogisticRegression] | None = None
    for c in grid:
        model = fit_logistic(x_train, np.asarray(train_data.labels), c)
        predicted = model.predict(x_val).tolist()
        score = mean_language_f1(val_data.labels, predicted, val_data.languages)
        log(f"  C={c:g}: mean macro-F1 on val {100 * score:.2f}")
        if best is None or score > best[0]:
            best = (score, c, model)
    assert best is not None, "an empty grid"
    return best[1], best[2]


def fit_component(
    train: tuple[Features, LabelledTexts],
    val: tuple[Features, LabelledTexts],
    grid: Sequence[float],
    log: Callable[[str], None] = print,
) -> Component:
    """The best model of `grid` on val, with its out-of-fold probabilities on train."""
    c, model = choose_c(train, val, grid, log)
    return Component(
        c=c,
        weights=np.asarray(model.coef_.T, dtype=np.float32),
        bias=np.asarray(model.intercept_, dtype=np.float32),
        train_probabilities=_out_of_fold(train[0], train[1], c),
        val_probabilities=np.asarray(model.predict_proba(val[0]), dtype=np.float32),
    )


def fit_stacking_head(
    ngrams: Component,
    embeddings: Component,
    train_data: LabelledTexts,
    val_data: LabelledTexts,
    log: Callable[[str], None] = print,
) -> Component:
    """The head that weighs both components' opinions, learnt from out-of-fold ones."""
    x_train = stacking_features(ngrams.train_probabilities, embeddings.train_probabilities)
    x_val = stacking_features(ngrams.val_probabilities, embeddings.val_probabilities)
    c, model = choose_c((x_train, train_data), (x_val, val_data), STACKING_C, log)
    val_probabilities = np.asarray(model.predict_proba(x_val), dtype=np.float32)
    return Component(
        c=c,
        weights=np.asarray(model.coef_.T, dtype=np.float32),
        bias=np.asarray(model.intercept_, dtype=np.float32),
        train_probabilities=np.zeros((0, 3), dtype=np.float32),
        val_probabilities=val_probabilities,
    )
