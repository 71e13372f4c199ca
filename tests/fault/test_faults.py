"""The fault harness's ci mode (the short mode's faults, restarts forked from a zygote): the
platform as separate processes on the embedded default (SQLite + nats-server) and on PostgreSQL (the harness's own server, so it can
be crashed), each service process SIGKILLed and restarted, NATS restarted and frozen, under a
steady workload. Asserts the invariants only (nothing lost, nothing doubled), never timings:
recovery times are figures in the JSON the harness writes."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .postgres_server import available

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(900)]
ROOT = Path(__file__).resolve().parents[2]


def harness(backend: str, out: Path) -> dict[str, object]:
    seed = os.environ.get("VIGIE_FAULT_SEED", "")
    command = [sys.executable, "-m", "tests.fault.run", "--mode", "ci", "--backend", backend]
    command += ["--out", str(out)] + (["--seed", seed] if seed else [])
    run = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=840)
    assert out.exists(), f"the harness wrote no figures:\n{run.stdout[-3000:]}{run.stderr[-5000:]}"
    figures: dict[str, object] = json.loads(out.read_text())
    return figures


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_under_kills_and_nats_faults_nothing_is_lost_or_done_twice(
    backend: str, tmp_path: Path
) -> None:
    if backend == "postgres" and not available() and not os.environ.get("VIGIE_TEST_POSTGRES_URL"):
        pytest.skip("no PostgreSQL: neither Debian's binaries nor VIGIE_TEST_POSTGRES_URL")
    figures = harness(backend, tmp_path / f"fault-{backend}.json")
    injected = figures["faults_injected"]
    assert isinstance(injected, dict)
    # Every process was killed, NATS was restarted and frozen: the run proved something.
    assert injected["kill"] == 10 and injected["nats_restart"] >= 1 and injected["nats_freeze"] >= 1
    events = figures["events"]
    assert isinstance(events, dict) and events["mentions"] > 0 and events["posts"] > 0
    assert figures["violations"] == [], figures["violations"]
    assert figures["lost"] == 0 and figures["duplicated"] == 0
