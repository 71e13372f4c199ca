"""How much the fuzzers try: a few examples per operation by default so CI stays bounded, more
with VIGIE_FUZZ_EXAMPLES; the same examples every run unless VIGIE_FUZZ_RANDOM=1."""

import os

from hypothesis import HealthCheck, settings


def fuzz_settings() -> settings:
    return settings(
        max_examples=int(os.environ.get("VIGIE_FUZZ_EXAMPLES", "5")),
        derandomize=os.environ.get("VIGIE_FUZZ_RANDOM") != "1",
        database=None,  # nothing remembered between runs: each run is what the seed says
        deadline=None,  # a hang is caught by the call's own deadline, not by hypothesis
        suppress_health_check=list(HealthCheck),
    )
