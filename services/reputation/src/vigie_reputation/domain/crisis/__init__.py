"""Streaming crisis detection on a brand's mention volume (pure domain code, no I/O).

Use: `detector = CrisisDetector(params, CrisisState.from_dict(saved))`, then for each 5-minute
bucket `detector.observe(bucket_start, total, negative)` -> transitions; persist
`detector.state.to_dict()`.
"""

from vigie_reputation.domain.crisis.detector import CrisisDetector
from vigie_reputation.domain.crisis.lifecycle import Transition, TransitionKind
from vigie_reputation.domain.crisis.params import CrisisParams
from vigie_reputation.domain.crisis.severity import Severity
from vigie_reputation.domain.crisis.signal import Signal
from vigie_reputation.domain.crisis.state import CrisisState

__all__ = [
    "CrisisDetector",
    "CrisisParams",
    "CrisisState",
    "Severity",
    "Signal",
    "Transition",
    "TransitionKind",
]
