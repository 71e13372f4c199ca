"""Reading the UMSAB splits (`<lang>/<split>_text.txt`, `<split>_labels.txt`) from shared data."""

import re
from dataclasses import dataclass
from pathlib import Path

from vigie_runtime.testing.shared import shared_dir

from .languages import TRAINED_LANGUAGES

# The English part keeps some characters as literal `\u2019`-style escapes; tweets do not.
_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")


@dataclass(frozen=True)
class LabelledTexts:
    texts: list[str]
    labels: list[int]
    languages: list[str]


def default_data_dir() -> Path:
    return shared_dir() / "data" / "umsab"


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").split("\n")


def read_split(data_dir: Path, split: str, folders: list[str] | None = None) -> LabelledTexts:
    """All languages' `split` ("train" or "val"), the language as its ISO code."""
    texts: list[str] = []
    labels: list[int] = []
    languages: list[str] = []
    for folder in folders or list(TRAINED_LANGUAGES):
        lang_texts = _lines(data_dir / folder / f"{split}_text.txt")
        lang_labels = [int(v) for v in _lines(data_dir / folder / f"{split}_labels.txt") if v]
        if len(lang_texts) != len(lang_labels):
            raise ValueError(
                f"{folder}/{split}: {len(lang_texts)} texts, {len(lang_labels)} labels"
            )
        texts += [_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), t) for t in lang_texts]
        labels += lang_labels
        languages += [TRAINED_LANGUAGES[folder]] * len(lang_texts)
    return LabelledTexts(texts, labels, languages)
