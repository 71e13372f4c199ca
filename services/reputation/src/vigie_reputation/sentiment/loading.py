"""Choosing a shipped model by name; the artifact is read from disk once per process."""

from functools import lru_cache

from .artifact import CASCADE_THRESHOLD, Artifact, load_artifact
from .embedding import SentenceEmbedder, UniversalSentenceEncoder
from .model import SentimentModel
from .tiers import CascadeModel, FastModel, StackedModel

MODEL_NAMES = ("default", "cascade", "fast")


def build_model(
    name: str, artifact: Artifact, embedder: SentenceEmbedder | None = None
) -> SentimentModel:
    """`default`: the most accurate; `fast`: n-grams alone, for draining a backlog;
    `cascade`: in between, the stacked model only where the n-grams are unsure."""
    fast = FastModel(artifact.version, artifact.ngrams)
    if name == "fast":
        return fast
    stacked = StackedModel(
        artifact.version,
        artifact.ngrams,
        embedder or UniversalSentenceEncoder(),
        artifact.embedding_head,
        artifact.stacking_head,
    )
    if name == "default":
        return stacked
    if name == "cascade":
        return CascadeModel(fast, stacked, float(artifact.metadata.get(CASCADE_THRESHOLD, 0.0)))
    raise ValueError(f"unknown sentiment model {name!r}; known: {', '.join(MODEL_NAMES)}")


@lru_cache(maxsize=1)
def _shared_embedder() -> SentenceEmbedder:
    # One encoder (about 110 MB once loaded) for every tier that embeds.
    return UniversalSentenceEncoder()


@lru_cache(maxsize=len(MODEL_NAMES))
def load_model(name: str = "default") -> SentimentModel:
    """The shipped model called `name`, built once per process."""
    return build_model(name, load_artifact(), _shared_embedder())


def load_default_model() -> SentimentModel:
    return load_model("default")
