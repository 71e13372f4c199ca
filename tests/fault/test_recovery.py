"""How the harness measures recovery: from the restart to the first mention of the first
second that scored at least half the pushed rate."""

from .faults import recovery

RATE = 20  # mentions pushed per second


def test_a_pipeline_that_never_stopped_has_recovered_at_once() -> None:
    steady = [i / 100 for i in range(1000)]  # 100 scored/s for 10 s
    assert recovery(steady, ended=2.0, rate=RATE, now=10.0) == 0.0


def test_recovery_is_counted_to_the_first_mention_of_a_steady_second() -> None:
    trickle = [1.0, 2.0]  # two stragglers: not steady
    steady = [4.0 + i * 0.05 for i in range(100)]  # 20/s from 4 s on
    found = recovery(trickle + steady, ended=0.5, rate=RATE, now=10.0)
    assert found is not None and round(found, 2) == 3.5


def test_no_steady_second_yet_is_no_recovery() -> None:
    assert recovery([0.6, 0.7, 3.0], ended=0.5, rate=RATE, now=10.0) is None
