"""A score with its inputs and reasons, built step by step by the vetting functions."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Score:
    value: float
    # (name, value as a decimal string), in the order they were used.
    inputs: tuple[tuple[str, str], ...]
    # Sentences for people, most important first.
    reasons: tuple[str, ...]


@dataclass
class ScoreBuilder:
    """Starts at `start`; penalties and inputs are recorded as they are applied."""

    start: float = 100.0
    inputs: list[tuple[str, str]] = field(default_factory=list)
    penalties: list[tuple[float, str]] = field(default_factory=list)

    def input(self, name: str, value: float | int | str) -> None:
        text = f"{value:.4f}".rstrip("0").rstrip(".") if isinstance(value, float) else str(value)
        self.inputs.append((name, text))

    def penalise(self, points: float, reason: str) -> None:
        self.penalties.append((points, reason))

    def build(self, fallback_reason: str) -> Score:
        value = clamp(self.start - sum(p for p, _ in self.penalties))
        ordered = sorted(self.penalties, key=lambda p: -p[0])
        reasons = tuple(f"-{p:g}: {r}" for p, r in ordered) or (fallback_reason,)
        return Score(round(value, 1), tuple(self.inputs), reasons)


def clamp(value: float) -> float:
    return max(0.0, min(100.0, value))
