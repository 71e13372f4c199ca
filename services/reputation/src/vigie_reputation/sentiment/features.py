"""Hashed word and character n-gram features of a short post.

Training and inference both call `featurize`, so the model never meets a feature it was not
trained on. The hash is `zlib.crc32`: stable across processes and Python versions (unlike
`hash()`), and implemented in C.
"""

import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

import numpy as np
import numpy.typing as npt

_URL = re.compile(r"https?://\S+|www\.\S+")
_MENTION = re.compile(r"@\w+")
_REPEAT = re.compile(r"(.)\1{2,}")
_DIGITS = re.compile(r"\d")
# A token is a word, a run of the same punctuation mark, or one symbol (emoji included).
_TOKEN = re.compile(r"\w+|([!?.])\1*|[^\w\s]")


@dataclass(frozen=True)
class FeatureSpec:
    """How a text becomes hashed features; stored with the weights that depend on it."""

    n_buckets: int = 1 << 18
    char_min: int = 2
    char_max: int = 5
    word_bigrams: bool = True
    # Language-prefixed copies of the word features; off in 1.0.0 (no gain on val).
    language_words: bool = False


@dataclass(frozen=True)
class SparseRows:
    """A batch of sparse rows in CSR form: row i is `indices/values[indptr[i]:indptr[i+1]]`."""

    indptr: npt.NDArray[np.int64]
    indices: npt.NDArray[np.int64]
    values: npt.NDArray[np.float32]


def normalize(text: str) -> str:
    """Lower case, with URLs, mentions, digits and stretched letters folded to one form each."""
    text = _URL.sub(" http ", text.lower())
    text = _MENTION.sub("@user", text)
    text = _DIGITS.sub("0", text)
    return _REPEAT.sub(r"\1\1\1", text)


def _grams(text: str, language: str | None, spec: FeatureSpec) -> list[str]:
    words = [m.group(0) for m in _TOKEN.finditer(text)]
    grams = ["w:" + w for w in words]
    if spec.word_bigrams:
        grams += ["b:" + a + " " + b for a, b in pairwise(words)]
    if language is not None and spec.language_words:
        # Language-specific copies let a word mean different things in different languages.
        grams += [language + ":" + g for g in grams]
        grams.append("lang:" + language)
    for word in words:
        grams += _char_grams(word, spec.char_min, spec.char_max)
    return grams


@lru_cache(maxsize=1 << 16)
def _char_grams(word: str, shortest: int, longest: int) -> tuple[str, ...]:
    """The character n-grams of ` word `; cached, as a few words make most of any text."""
    padded = " " + word + " "
    return tuple(
        "c:" + padded[i : i + n]
        for n in range(shortest, min(longest, len(padded)) + 1)
        for i in range(len(padded) - n + 1)
    )


def featurize(
    texts: Sequence[str], languages: Sequence[str | None], spec: FeatureSpec
) -> SparseRows:
    """Sublinear term counts (1 + log tf), each row scaled to unit length."""
    grams: list[str] = []
    lengths: list[int] = []
    for text, language in zip(texts, languages, strict=True):
        text_grams = _grams(normalize(text), language, spec)
        grams += text_grams
        lengths.append(len(text_grams))
    # map() keeps the per-gram work in C; numpy then counts duplicates of the whole batch at once.
    hashes = np.fromiter(map(zlib.crc32, map(str.encode, grams)), dtype=np.int64, count=len(grams))
    rows = np.repeat(np.arange(len(texts), dtype=np.int64), lengths)
    keys, counts = np.unique(rows * spec.n_buckets + hashes % spec.n_buckets, return_counts=True)
    row_of = keys // spec.n_buckets
    values = (1.0 + np.log(counts)).astype(np.float32)
    norms = np.sqrt(np.bincount(row_of, weights=values * values, minlength=len(texts)))
    values /= norms[row_of].astype(np.float32)
    indptr = np.zeros(len(texts) + 1, dtype=np.int64)
    np.cumsum(np.bincount(row_of, minlength=len(texts)), out=indptr[1:])
    return SparseRows(indptr, keys % spec.n_buckets, values)
