"""The crisis detector on synthetic streams: what opens, escalates, resolves and what does not."""

import json
import math
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import numpy as np
from vigie_reputation.domain.crisis import (
    CrisisDetector,
    CrisisState,
    Severity,
    Signal,
    Transition,
    TransitionKind,
)

START = datetime(2026, 3, 2, tzinfo=UTC)  # a Monday
BUCKET = timedelta(minutes=5)
DAY = 288
WARM = 3 * DAY  # a first day of warm-up, then two days of usual daily peaks


def seasonal_mean(index: int, base: float, amplitude: float = 0.3) -> float:
    hours = index / 12
    return base * (1.0 + amplitude * math.sin(2 * math.pi * hours / 24))


def steady(
    base: float, buckets: int, seed: int = 7, start: int = 0
) -> Iterator[tuple[datetime, int]]:
    """Poisson counts around a daily seasonal mean."""
    rng = np.random.default_rng(seed)
    for index in range(start, start + buckets):
        yield START + index * BUCKET, int(rng.poisson(seasonal_mean(index, base)))


def bucket_time(index: int) -> datetime:
    return START + index * BUCKET


def _warmed(base: float, negative_share: float = 0.2) -> CrisisDetector:
    detector = CrisisDetector()
    for at, total in steady(base, WARM):
        assert detector.observe(at, total, round(total * negative_share)) == []
    return detector


def _feed(detector: CrisisDetector, counts: list[int], start: int) -> list[Transition]:
    transitions: list[Transition] = []
    for offset, total in enumerate(counts):
        transitions += detector.observe(bucket_time(start + offset), total, total // 5)
    return transitions


def _rng_counts(base: float, factor: float, start: int, buckets: int, seed: int) -> list[int]:
    rng = np.random.default_rng(seed)
    return [
        int(rng.poisson(factor * seasonal_mean(i, base))) for i in range(start, start + buckets)
    ]


def test_a_steady_seasonal_stream_opens_nothing() -> None:
    detector = CrisisDetector()
    for at, total in steady(40.0, 8 * DAY, seed=11):
        assert detector.observe(at, total, total // 5) == []


def test_a_burst_opens_escalates_when_it_grows_and_resolves_after_it_calms() -> None:
    detector = _warmed(50.0)
    counts = (
        _rng_counts(50.0, 2.5, WARM, 12, seed=1)
        + _rng_counts(50.0, 12.0, WARM + 12, 12, seed=2)
        + _rng_counts(50.0, 1.0, WARM + 24, DAY, seed=3)
    )
    transitions = _feed(detector, counts, WARM)
    kinds = [t.kind for t in transitions]
    assert kinds[0] is TransitionKind.OPENED
    assert TransitionKind.ESCALATED in kinds
    assert kinds[-1] is TransitionKind.RESOLVED and kinds.count(TransitionKind.OPENED) == 1
    opened, resolved = transitions[0], transitions[-1]
    assert opened.signal is Signal.TOTAL and opened.observed > 2 * opened.expected
    assert max(t.severity for t in transitions) >= Severity.MAJOR
    assert resolved.since == opened.at and resolved.at > bucket_time(WARM + 24)


def test_a_noisy_plateau_opens_once_and_does_not_flap() -> None:
    detector = _warmed(50.0)
    plateau = _rng_counts(50.0, 3.0, WARM, DAY, seed=5)
    noisy = [
        round(c * f)
        for c, f in zip(plateau, np.random.default_rng(6).uniform(0.6, 1.4, DAY), strict=True)
    ]
    transitions = _feed(detector, noisy, WARM)
    assert [t.kind for t in transitions].count(TransitionKind.OPENED) == 1


def test_a_single_five_at_low_volume_is_not_a_crisis() -> None:
    detector = CrisisDetector()
    rng = np.random.default_rng(3)
    counts = [min(int(rng.poisson(1.0)), 3) for _ in range(WARM + DAY)]
    counts[WARM + 100] = 5
    transitions = _feed(detector, counts, 0)
    assert transitions == []


def test_a_sustained_thirty_percent_rise_at_high_volume_opens_a_crisis() -> None:
    detector = _warmed(2000.0)
    transitions = _feed(detector, _rng_counts(2000.0, 1.3, WARM, 24, seed=9), WARM)
    assert [t.kind for t in transitions][:1] == [TransitionKind.OPENED]


def test_a_rise_of_negative_mentions_alone_is_reported_as_negative() -> None:
    detector = _warmed(50.0)
    transitions: list[Transition] = []
    for offset, total in enumerate(_rng_counts(50.0, 1.0, WARM, 24, seed=4)):
        transitions += detector.observe(bucket_time(WARM + offset), total, total * 4 // 5)
    assert transitions[0].kind is TransitionKind.OPENED
    assert transitions[0].signal is Signal.NEGATIVE


def test_a_redelivered_bucket_is_applied_once() -> None:
    detector = _warmed(50.0)
    before = detector.state.to_dict()
    last = detector.state.last_bucket
    assert last is not None
    assert detector.observe(last, 10_000, 10_000) == []
    assert detector.state.to_dict() == before


def test_the_state_round_trips_through_a_json_dict_mid_crisis() -> None:
    detector = CrisisDetector()
    for at, total in steady(50.0, 3 * DAY):
        detector.observe(at, total, total // 5)
    opened = detector.observe(bucket_time(3 * DAY), 2000, 400)
    assert [t.kind for t in opened] == [TransitionKind.OPENED]

    saved = json.loads(json.dumps(detector.state.to_dict()))
    restored = CrisisDetector(state=CrisisState.from_dict(saved))
    assert restored.state == detector.state

    # Both copies go on to make the same decisions.
    for offset, (_, total) in enumerate(steady(50.0, DAY, seed=2, start=3 * DAY + 1)):
        at = bucket_time(3 * DAY + 1 + offset)
        assert restored.observe(at, total, 0) == detector.observe(at, total, 0)


def test_an_unknown_state_version_is_refused() -> None:
    saved = CrisisState().to_dict() | {"version": 99}
    try:
        CrisisState.from_dict(saved)
    except ValueError as error:
        assert "version" in str(error)
    else:
        raise AssertionError("a state of an unknown version was accepted")
