"""When an alert rule fires: once on crossing, not again until the measure went back past the
threshold by the margin, never within the cooldown."""

from datetime import UTC, datetime, timedelta

from vigie_reputation.domain.alerts import (
    AlertMemory,
    Direction,
    Threshold,
    judge_event,
    judge_measure,
)

T0 = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
COOLDOWN = timedelta(minutes=30)
INDEX_BELOW_40 = Threshold(40.0, Direction.BELOW)


def run(measures: list[float], threshold: Threshold, step: timedelta) -> list[int]:
    """The positions at which the rule fired over a series of measures."""
    memory, fired = AlertMemory(), []
    for i, measure in enumerate(measures):
        fires, memory = judge_measure(memory, threshold, measure, T0 + i * step, COOLDOWN)
        if fires:
            fired.append(i)
    return fired


def test_an_index_hovering_around_its_threshold_fires_once() -> None:
    hovering = [45.0, 39.0, 41.0, 39.5, 40.5, 39.0, 43.0, 39.0]
    assert run(hovering, INDEX_BELOW_40, timedelta(hours=1)) == [1]


def test_a_measure_that_recovered_past_the_margin_fires_again() -> None:
    recovering = [39.0, 45.0, 38.0]
    assert run(recovering, INDEX_BELOW_40, timedelta(hours=1)) == [0, 2]


def test_a_rearmed_trigger_still_waits_for_its_cooldown() -> None:
    quick = [39.0, 45.0, 38.0, 38.0, 38.0, 38.0, 38.0, 38.0]
    assert run(quick, INDEX_BELOW_40, timedelta(minutes=5)) == [0, 6]


def test_a_volume_above_its_threshold_fires_and_rearms_below_the_margin() -> None:
    volume_above_100 = Threshold(100.0, Direction.ABOVE)
    assert run([50, 150, 95, 150, 80, 150], volume_above_100, timedelta(hours=1)) == [1, 5]


def test_a_crisis_trigger_fires_on_each_transition_outside_the_cooldown() -> None:
    fires, memory = judge_event(AlertMemory(), T0, COOLDOWN)
    again, memory = judge_event(memory, T0 + timedelta(minutes=10), COOLDOWN)
    later, _ = judge_event(memory, T0 + timedelta(minutes=31), COOLDOWN)
    assert (fires, again, later) == (True, False, True)
