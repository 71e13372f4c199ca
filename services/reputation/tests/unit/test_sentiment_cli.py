"""`python -m vigie_reputation.sentiment predict`: one label per line of stdin."""

import subprocess
import sys

import pytest


@pytest.mark.parametrize("model", ["default", "fast"])
def test_predict_prints_one_label_per_line_and_neutral_for_a_blank_line(model: str) -> None:
    lines = "I love it, thank you so much!\n\nQuel désastre, je déteste ça\n"
    result = subprocess.run(
        [sys.executable, "-m", "vigie_reputation.sentiment", "predict", "--model", model],
        input=lines,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    assert result.stdout.splitlines() == ["positive", "neutral", "negative"]


def test_an_unknown_model_is_a_usage_error() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "vigie_reputation.sentiment", "predict", "--model", "huge"],
        input="",
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 2
    assert "invalid choice" in result.stderr
