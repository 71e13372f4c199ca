"""The shipped model on disk: weights in `.npz` (no pickle) and a JSON description.

The JSON names the version, the feature settings and the SHA-256 of the weights, so a JSON and
an `.npz` from two different trainings refuse to load together.
"""

import hashlib
import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .features import FeatureSpec
from .linear import DenseLinear, HashedLinear, Matrix
from .model import LABELS

ARTIFACT_DIR = Path(__file__).parent / "artifacts"
WEIGHTS_FILE = "sentiment.npz"
CARD_FILE = "sentiment.json"
FORMAT = 1
# Metadata key: below this confidence of the n-gram model, `cascade` asks the stacked model.
CASCADE_THRESHOLD = "cascade_threshold"


@dataclass(frozen=True)
class Artifact:
    version: str
    ngrams: HashedLinear
    embedding_head: DenseLinear
    stacking_head: DenseLinear
    metadata: dict[str, Any]


def save_artifact(artifact: Artifact, directory: Path = ARTIFACT_DIR) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    weights = directory / WEIGHTS_FILE
    # Zip entries written by name carry a fixed timestamp: the same weights, the same bytes.
    np.savez_compressed(
        weights,
        # float16 halves the file; the n-gram weights are small and tolerate it.
        ngram_weights=artifact.ngrams.weights.astype(np.float16),
        ngram_bias=artifact.ngrams.bias,
        embedding_weights=artifact.embedding_head.weights,
        embedding_bias=artifact.embedding_head.bias,
        stacking_weights=artifact.stacking_head.weights,
        stacking_bias=artifact.stacking_head.bias,
    )
    description = {
        **artifact.metadata,
        "format": FORMAT,
        "version": artifact.version,
        "labels": list(LABELS),
        "feature_spec": asdict(artifact.ngrams.spec),
        "weights_sha256": hashlib.sha256(weights.read_bytes()).hexdigest(),
    }
    text = json.dumps(description, indent=2, ensure_ascii=False) + "\n"
    (directory / CARD_FILE).write_text(text, encoding="utf-8")


def _array(arrays: Any, key: str) -> Matrix:
    return np.asarray(arrays[key], dtype=np.float32)


def load_artifact(directory: Path = ARTIFACT_DIR) -> Artifact:
    description: dict[str, Any] = json.loads((directory / CARD_FILE).read_text(encoding="utf-8"))
    payload = (directory / WEIGHTS_FILE).read_bytes()
    if description.get("format") != FORMAT or tuple(description["labels"]) != LABELS:
        raise ValueError(f"{directory}: not a sentiment artifact of format {FORMAT}")
    if hashlib.sha256(payload).hexdigest() != description["weights_sha256"]:
        raise ValueError(f"{directory}: {WEIGHTS_FILE} does not match {CARD_FILE}")
    with np.load(directory / WEIGHTS_FILE, allow_pickle=False) as arrays:
        spec = FeatureSpec(**description["feature_spec"])
        ngrams = HashedLinear(spec, _array(arrays, "ngram_weights"), _array(arrays, "ngram_bias"))
        embedding = DenseLinear(
            _array(arrays, "embedding_weights"), _array(arrays, "embedding_bias")
        )
        stacking = DenseLinear(_array(arrays, "stacking_weights"), _array(arrays, "stacking_bias"))
    computed = {"format", "version", "labels", "feature_spec", "weights_sha256"}
    metadata = {k: v for k, v in description.items() if k not in computed}
    return Artifact(description["version"], ngrams, embedding, stacking, metadata)
