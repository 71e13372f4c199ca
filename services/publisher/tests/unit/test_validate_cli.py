"""`python -m vigie_publisher.validate`, driven as a user would: text on stdin, JSON out."""

import json
import subprocess
import sys
from typing import Any


def _run(stdin: str, *arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "vigie_publisher.validate", *arguments],
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
        timeout=60,
    )


def _verdict(stdin: str, *arguments: str) -> dict[str, Any]:
    completed = _run(stdin, *arguments)
    assert completed.returncode == 0, completed.stderr
    verdict: dict[str, Any] = json.loads(completed.stdout)
    return verdict


def test_a_valid_text_prints_its_length_and_limit() -> None:
    assert _verdict("Hello https://example.com\n", "--network", "x") == {
        "valid": True,
        "length": 29,
        "limit": 280,
        "errors": [],
    }


def test_an_invalid_text_still_exits_zero_with_the_problem_and_its_position() -> None:
    verdict = _verdict("a" * 501 + "\n", "--network", "threads")
    assert verdict["valid"] is False
    assert verdict["errors"] == [
        {"code": "TOO_LONG", "message": "The text is longer than 500 characters.", "position": 500}
    ]


def test_only_the_final_newline_is_stripped() -> None:
    assert _verdict("ab\n\n", "--network", "linkedin")["length"] == 3


def test_the_instance_limit_applies_to_mastodon() -> None:
    verdict = _verdict("a" * 600, "--network", "mastodon", "--instance-limit", "1000")
    assert (verdict["valid"], verdict["limit"]) == (True, 1000)


def test_an_unknown_network_is_a_usage_error() -> None:
    completed = _run("hello", "--network", "myspace")
    assert completed.returncode == 2
    assert "invalid choice" in completed.stderr
