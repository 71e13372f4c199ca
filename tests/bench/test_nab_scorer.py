"""The NAB scorer against hand-made cases whose expected scores follow from NAB's rules."""

import importlib.util
import math
import sys
from types import ModuleType

import pytest
from vigie_runtime.testing.shared import repo_root


def _load_scorer() -> ModuleType:
    # bench/ is a folder of scripts, not a package: load the module from its file.
    path = repo_root() / "bench" / "nab_scorer.py"
    spec = importlib.util.spec_from_file_location("nab_scorer", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["nab_scorer"] = module
    spec.loader.exec_module(module)
    return module


nab = _load_scorer()

ROWS = 10_000  # probation: min(15% of 10000, 750) = 750 rows
WINDOWS = [nab.Window(2000, 2099), nab.Window(6000, 6199)]


def _score(detections: list[int]) -> float:
    return nab.score_series(ROWS, detections, WINDOWS).raw


def test_probation_is_fifteen_percent_capped_at_750_rows() -> None:
    assert nab.probation_length(1000) == 150
    assert nab.probation_length(15_902) == 750


def test_the_scaled_sigmoid_matches_nab_reference_points() -> None:
    assert nab.scaled_sigmoid(-1.0) == pytest.approx(0.98661, abs=1e-5)
    assert nab.scaled_sigmoid(-0.5) == pytest.approx(0.84828, abs=1e-5)
    assert nab.scaled_sigmoid(0.0) == pytest.approx(0.0)
    assert nab.scaled_sigmoid(1.0) == pytest.approx(-0.98661, abs=1e-5)
    assert nab.scaled_sigmoid(3.0) == -1.0


def test_a_detection_at_each_left_edge_scores_100() -> None:
    score = nab.score_series(ROWS, [2000, 6000], WINDOWS)
    assert score.raw == pytest.approx(2.0)
    assert nab.normalised_score([score]) == pytest.approx(100.0)


def test_a_detector_that_never_fires_scores_0() -> None:
    score = nab.score_series(ROWS, [], WINDOWS)
    assert score.raw == pytest.approx(-2.0)
    assert score.false_negatives == 2
    assert nab.normalised_score([score]) == pytest.approx(0.0)


def test_an_earlier_detection_in_a_window_scores_more() -> None:
    assert _score([2010, 6000]) > _score([2090, 6000])
    # Half-way through: position -(99 - 50 + 1)/100 = -0.5 -> 0.84828 / 0.98661.
    assert _score([2050, 6000]) == pytest.approx(0.84828 / 0.98661 + 1.0, abs=1e-5)


def test_only_the_first_detection_in_a_window_counts() -> None:
    assert _score([2010, 2011, 2050, 6000]) == pytest.approx(_score([2010, 6000]))


def test_a_false_positive_before_any_window_costs_the_full_weight() -> None:
    assert _score([1000, 2000, 6000]) == pytest.approx(2.0 - 0.11)


def test_a_false_positive_just_after_a_window_costs_little_and_later_ones_more() -> None:
    # One row past a 100-row window: position 1/99, weight 2sigmoid(-5/99) - 1.
    expected = 2.0 / (1.0 + math.exp(5.0 / 99)) - 1.0
    assert _score([2000, 2100, 6000]) == pytest.approx(2.0 + 0.11 * expected)
    costs = [2.0 - _score([2000, row, 6000]) for row in (2100, 2150, 2200, 2500)]
    assert costs == sorted(costs)
    assert costs[-1] == pytest.approx(0.11)  # three widths past the window: full weight


def test_detections_in_the_probationary_period_are_not_scored() -> None:
    assert _score([10, 700, 2000, 6000]) == pytest.approx(2.0)


def test_windows_are_found_from_nab_timestamps() -> None:
    stamps = [f"2015-03-01 00:{m:02d}:53" for m in range(0, 60, 5)]
    limits = [["2015-03-01 00:10:53.000000", "2015-03-01 00:25:53.000000"]]
    assert nab.windows_from_limits(stamps, limits) == [nab.Window(2, 5)]


def test_the_normalised_score_sums_files_before_normalising() -> None:
    perfect = nab.score_series(ROWS, [2000, 6000], WINDOWS)
    null = nab.score_series(ROWS, [], WINDOWS)
    assert nab.normalised_score([perfect, null]) == pytest.approx(50.0)
