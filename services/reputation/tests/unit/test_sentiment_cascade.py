"""The cascade tier: the accurate model sees only the texts the fast model is unsure of."""

from collections.abc import Sequence
from dataclasses import dataclass, field

from vigie_reputation.sentiment.model import NO_OPINION, Label, Sentiment
from vigie_reputation.sentiment.tiers import CascadeModel


@dataclass
class FixedModel:
    """Answers `label` with the confidence that each text names, and records what it saw."""

    label: Label
    name: str = "fixed"
    version: str = "test"
    seen: list[str] = field(default_factory=list)

    def predict(self, texts: Sequence[str], languages: Sequence[str | None]) -> list[Sentiment]:
        self.seen += texts
        return [
            Sentiment(self.label, float(text), {}) if text.strip() else NO_OPINION for text in texts
        ]


def test_only_texts_below_the_threshold_reach_the_accurate_model() -> None:
    fast, accurate = FixedModel("positive"), FixedModel("negative")
    cascade = CascadeModel(fast, accurate, threshold=0.7)
    result = cascade.predict(["0.9", "0.5", "", "0.7", "0.1"], ["en"] * 5)
    assert accurate.seen == ["0.5", "0.1"]
    assert [s.label for s in result] == ["positive", "negative", "neutral", "positive", "negative"]
    assert cascade.version == "test"
