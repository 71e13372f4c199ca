"""How well the served model agrees with people's corrections (pure, no I/O).

A person's corrected label is the ground truth. Only corrected mentions are judged: an
uncorrected mention is not evidence that the model was right, so it counts as scored, never as
agreement. Figures are given per language and overall.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

LABELS = ("negative", "neutral", "positive")
OVERALL = ""  # the language key of the overall figures


@dataclass(frozen=True)
class Judged:
    """Scored mentions alike in these fields (`count` of them, so the database may group)."""

    language: str
    model_label: str
    corrected_label: str | None
    model_version: str
    count: int = 1


@dataclass
class Evaluation:
    language: str
    scored: int = 0
    corrected: int = 0
    # confusion[model label][corrected label]
    confusion: dict[str, dict[str, int]] = field(
        default_factory=lambda: {m: dict.fromkeys(LABELS, 0) for m in LABELS}
    )
    model_versions: set[str] = field(default_factory=set)

    def add(self, mention: Judged) -> None:
        self.scored += mention.count
        self.model_versions.add(mention.model_version)
        truth = mention.corrected_label
        if truth is None or truth not in LABELS or mention.model_label not in LABELS:
            return
        self.corrected += mention.count
        self.confusion[mention.model_label][truth] += mention.count

    @property
    def agreed(self) -> int:
        return sum(self.confusion[label][label] for label in LABELS)

    @property
    def accuracy(self) -> float:
        return self.agreed / self.corrected if self.corrected else 0.0

    def f1(self, label: str) -> float:
        true_pos = self.confusion[label][label]
        predicted = sum(self.confusion[label].values())
        actual = sum(self.confusion[m][label] for m in LABELS)
        # 2TP / (predicted + actual) is F1 without dividing by zero precision or recall.
        return 2 * true_pos / (predicted + actual) if predicted + actual else 0.0

    @property
    def macro_f1(self) -> float:
        return sum(self.f1(label) for label in LABELS) / len(LABELS)


def evaluate(mentions: Iterable[Judged]) -> list[Evaluation]:
    """The overall evaluation first, then one per language (sorted)."""
    overall = Evaluation(OVERALL)
    per_language: dict[str, Evaluation] = {}
    for mention in mentions:
        overall.add(mention)
        per_language.setdefault(mention.language, Evaluation(mention.language)).add(mention)
    return [overall, *(per_language[key] for key in sorted(per_language))]
