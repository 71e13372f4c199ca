"""`python -m vigie_reputation.crisis detect FILE.csv` prints each crisis opening."""

import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np


def test_the_cli_prints_the_timestamp_of_each_opening(tmp_path: Path) -> None:
    start, days = datetime(2015, 2, 26, 21, 42, 53), 4
    counts = np.random.default_rng(1).poisson(40.0, days * 288)
    burst_at = 3 * 288 + 50
    counts[burst_at : burst_at + 12] = 600
    stamps = [
        (start + i * timedelta(minutes=5)).strftime("%Y-%m-%d %H:%M:%S") for i in range(len(counts))
    ]
    csv = tmp_path / "volume.csv"
    csv.write_text(
        "timestamp,value\n" + "".join(f"{s},{c}\n" for s, c in zip(stamps, counts, strict=True))
    )

    result = subprocess.run(
        [sys.executable, "-m", "vigie_reputation.crisis", "detect", str(csv)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.splitlines() == [stamps[burst_at]]
