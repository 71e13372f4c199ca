"""`python -m vigie_reputation.sentiment train`: UMSAB train/val -> the shipped artifact."""

from collections.abc import Callable
from importlib.metadata import version as package_version
from pathlib import Path
from typing import Any

from .artifact import (
    ARTIFACT_DIR,
    CASCADE_THRESHOLD,
    Artifact,
    load_artifact,
    save_artifact,
)
from .data import LabelledTexts, read_split
from .embedding import EMBEDDING_PACKAGE, SentenceEmbedder, UniversalSentenceEncoder
from .evaluation import choose_cascade_threshold, evaluate, predictions
from .features import FeatureSpec
from .linear import DenseLinear, HashedLinear
from .loading import MODEL_NAMES, build_model
from .training import (
    EMBEDDING_C,
    FOLDS,
    NGRAM_C,
    SEED,
    Component,
    fit_component,
    fit_stacking_head,
    sparse_features,
)

# Bump with every change to the data, the features or the method; the model card repeats it.
VERSION = "1.0.0"
# How much mean macro-F1 (0-1) the cascade may give up on val for its speed.
CASCADE_TOLERANCE = 0.003
Log = Callable[[str], None]


def _describe(ngrams: Component, embeddings: Component, head: Component) -> dict[str, Any]:
    return {
        "data": "UMSAB (cardiffnlp/xlm-t), 8 languages: train to fit, val to choose",
        "method": {
            "ngram_model": {"kind": "logistic regression on hashed n-grams", "C": ngrams.c},
            "embedding_model": {
                "kind": f"logistic regression on {EMBEDDING_PACKAGE} embeddings",
                "package_version": package_version(EMBEDDING_PACKAGE),
                "C": embeddings.c,
            },
            "stacking_head": {"kind": "logistic regression, out-of-fold inputs", "C": head.c},
            "folds": FOLDS,
            "seed": SEED,
        },
    }


def fit_artifact(
    train: LabelledTexts, val: LabelledTexts, embedder: SentenceEmbedder, log: Log
) -> Artifact:
    """Both components and the stacking head, each with its C chosen on val."""
    spec = FeatureSpec(language_words=False)
    log(f"n-gram model ({len(train.texts)} train, {len(val.texts)} val texts)")
    ngram_x = sparse_features(train.texts, spec), sparse_features(val.texts, spec)
    ngrams = fit_component((ngram_x[0], train), (ngram_x[1], val), NGRAM_C, log)
    log("USE embeddings")
    embedding_x = embedder.embed(train.texts), embedder.embed(val.texts)
    embeddings = fit_component((embedding_x[0], train), (embedding_x[1], val), EMBEDDING_C, log)
    log("stacking head")
    head = fit_stacking_head(ngrams, embeddings, train, val, log)
    return Artifact(
        VERSION,
        HashedLinear(spec, ngrams.weights, ngrams.bias),
        DenseLinear(embeddings.weights, embeddings.bias),
        DenseLinear(head.weights, head.bias),
        _describe(ngrams, embeddings, head),
    )


def train_and_save(
    data_dir: Path, out_dir: Path = ARTIFACT_DIR, log: Log = print
) -> dict[str, dict[str, float]]:
    """Train, save, reload the saved files with the inference code and report val macro-F1."""
    train, val = read_split(data_dir, "train"), read_split(data_dir, "val")
    embedder = UniversalSentenceEncoder(threads=1)
    artifact = fit_artifact(train, val, embedder, log)
    log("cascade threshold")
    threshold, share = choose_cascade_threshold(
        predictions(build_model("default", artifact, embedder), val),
        predictions(build_model("fast", artifact), val),
        val,
        CASCADE_TOLERANCE,
    )
    artifact.metadata[CASCADE_THRESHOLD] = threshold
    artifact.metadata["cascade_embedded_share_on_val"] = round(share, 3)
    save_artifact(artifact, out_dir)
    saved = load_artifact(out_dir)
    report = {name: evaluate(build_model(name, saved, embedder), val) for name in MODEL_NAMES}
    log(f"val macro-F1 of the saved artifact: {report}")
    return report
