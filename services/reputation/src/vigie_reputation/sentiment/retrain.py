"""`python -m vigie_reputation.sentiment train`: UMSAB train/val -> the shipped artifact."""

from collections.abc import Callable
from importlib.metadata import version as package_version
from pathlib import Path
from typing import Any

from .artifact import ARTIFACT_DIR, Artifact, load_artifact, save_artifact
from .data import read_split
from .embedding import EMBEDDING_PACKAGE, UniversalSentenceEncoder
from .evaluation import evaluate
from .features import FeatureSpec
from .linear import DenseLinear, HashedLinear
from .loading import build_model
from .training import (
    EMBEDDING_C,
    FOLDS,
    NGRAM_C,
    SEED,
    fit_component,
    fit_stacking_head,
    sparse_features,
)

# Bump with every change to the data, the features or the method; the model card repeats it.
VERSION = "1.0.0"


def train_and_save(
    data_dir: Path, out_dir: Path = ARTIFACT_DIR, log: Callable[[str], None] = print
) -> dict[str, Any]:
    """Train, save, reload the saved files with the inference code and report val macro-F1."""
    train_data, val_data = read_split(data_dir, "train"), read_split(data_dir, "val")
    spec = FeatureSpec(language_words=False)
    log(f"n-gram model ({len(train_data.texts)} train, {len(val_data.texts)} val texts)")
    ngram_x = sparse_features(train_data.texts, spec), sparse_features(val_data.texts, spec)
    ngrams = fit_component((ngram_x[0], train_data), (ngram_x[1], val_data), NGRAM_C, log)
    log("USE embeddings")
    embedder = UniversalSentenceEncoder(threads=1)
    embedding_x = embedder.embed(train_data.texts), embedder.embed(val_data.texts)
    embeddings = fit_component(
        (embedding_x[0], train_data), (embedding_x[1], val_data), EMBEDDING_C, log
    )
    log("stacking head")
    head = fit_stacking_head(ngrams, embeddings, train_data, val_data, log)
    metadata = {
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
    save_artifact(
        Artifact(
            VERSION,
            HashedLinear(spec, ngrams.weights, ngrams.bias),
            DenseLinear(embeddings.weights, embeddings.bias),
            DenseLinear(head.weights, head.bias),
            metadata,
        ),
        out_dir,
    )
    saved = load_artifact(out_dir)
    report = {
        name: evaluate(build_model(name, saved, embedder), val_data) for name in ("default", "fast")
    }
    log(f"val macro-F1 of the saved artifact: {report}")
    return report
