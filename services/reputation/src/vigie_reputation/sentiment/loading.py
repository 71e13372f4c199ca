"""Choosing a shipped model by name; the artifact is read from disk once per process."""

from functools import lru_cache

from .artifact import Artifact, load_artifact
from .embedding import SentenceEmbedder, UniversalSentenceEncoder
from .model import SentimentModel
from .tiers import FastModel, StackedModel

MODEL_NAMES = ("default", "fast")


def build_model(
    name: str, artifact: Artifact, embedder: SentenceEmbedder | None = None
) -> SentimentModel:
    """`default`: the most accurate model; `fast`: n-grams alone, for draining a backlog."""
    if name == "fast":
        return FastModel(artifact.version, artifact.ngrams)
    if name == "default":
        return StackedModel(
            artifact.version,
            artifact.ngrams,
            embedder or UniversalSentenceEncoder(),
            artifact.embedding_head,
            artifact.stacking_head,
        )
    raise ValueError(f"unknown sentiment model {name!r}; known: {', '.join(MODEL_NAMES)}")


@lru_cache(maxsize=len(MODEL_NAMES))
def load_model(name: str = "default") -> SentimentModel:
    """The shipped model called `name`, built once per process."""
    return build_model(name, load_artifact())


def load_default_model() -> SentimentModel:
    return load_model("default")
