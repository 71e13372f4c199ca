"""`python -m vigie_listener.query check|match`, driven through its `main`."""

import io
import subprocess
import sys

from vigie_listener.query import main


def run(*argv: str, stdin: str = "") -> tuple[int, str]:
    out = io.StringIO()
    code = main(list(argv), io.StringIO(stdin), out)
    return code, out.getvalue()


def test_check_prints_the_canonical_form() -> None:
    assert run("check", 'nike -adidas OR "air max"') == (
        0,
        '((nike AND (NOT adidas)) OR "air max")\n',
    )


def test_check_prints_the_error_and_exits_1() -> None:
    assert run("check", "nike AND") == (1, "position 8: expected a term or '(' after AND\n")


def test_match_prints_1_or_0_per_line() -> None:
    code, printed = run("match", "cafe -tea", stdin="Un café\nCafé and tea\npineapple\n")
    assert (code, printed) == (0, "1\n0\n0\n")


def test_match_with_an_invalid_query_exits_1() -> None:
    assert run("match", "(cafe", stdin="cafe\n") == (1, "")


def test_the_module_runs_as_a_program() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "vigie_listener.query", "match", "#nike"],
        input="go #Nike\nnike\n",
        capture_output=True,
        text=True,
        check=False,
    )
    assert (done.returncode, done.stdout) == (0, "1\n0\n")
