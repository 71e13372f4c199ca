"""The anomaly test at low and at high volume."""

import math

import pytest
from vigie_reputation.domain.crisis.anomaly import poisson_upper_tail, surprise
from vigie_reputation.domain.crisis.severity import Severity, grade


def test_the_poisson_tail_matches_the_closed_form() -> None:
    mean = 1.5
    below = sum(math.exp(-mean) * mean**i / math.factorial(i) for i in range(5))
    assert poisson_upper_tail(5, mean) == pytest.approx(1.0 - below)
    assert poisson_upper_tail(0, mean) == 1.0


def test_at_low_volume_the_poisson_tail_tempers_the_z_score() -> None:
    # 5 where 1.5 are expected: z = 2.9, but P(X >= 5) = 0.0186, i.e. z 2.08.
    assert surprise(5, 1.5, 1.5) == pytest.approx(2.08, abs=0.01)


def test_at_high_volume_the_robust_z_score_is_used() -> None:
    assert surprise(1300, 1000, 100.0**2) == pytest.approx(3.0)


def test_severity_grows_with_the_ratio_and_with_fast_growth() -> None:
    assert grade(1.5, 1.0) is Severity.WATCH
    assert grade(3.0, 1.0) is Severity.MINOR
    assert grade(3.0, 2.5) is Severity.MAJOR
    assert grade(20.0, 3.0) is Severity.CRITICAL
