"""Which playbook a crisis applies, and when each of its alert steps goes out."""

from datetime import UTC, datetime, timedelta

from vigie_reputation.domain.playbooks import (
    AlertStep,
    PlaybookCandidate,
    choose_playbook,
    plan_notifications,
)

OPEN = datetime(2026, 12, 6, 5, 0, tzinfo=UTC)


def test_the_brands_playbook_wins_over_its_subsidiarys() -> None:
    older_subsidiary = PlaybookCandidate("s1", "subsidiary", OPEN - timedelta(days=30))
    brand = PlaybookCandidate("b1", "brand", OPEN - timedelta(days=1))
    assert choose_playbook([older_subsidiary, brand]) == brand


def test_the_subsidiarys_playbook_is_the_fallback() -> None:
    subsidiary = PlaybookCandidate("s1", "subsidiary", OPEN)
    assert choose_playbook([subsidiary]) == subsidiary
    assert choose_playbook([]) is None


def test_among_several_of_a_scope_the_oldest_applies() -> None:
    newer = PlaybookCandidate("b2", "brand", OPEN)
    older = PlaybookCandidate("b9", "brand", OPEN - timedelta(hours=1))
    assert choose_playbook([newer, older]) == older


def test_each_step_is_due_its_delay_after_the_opening() -> None:
    steps = [AlertStep("m1", "", 0), AlertStep("", "w1", 60), AlertStep("m2", "", 300)]
    planned = plan_notifications(steps, OPEN)
    assert [p.step for p in planned] == [1, 2, 3]
    assert [p.due_time - OPEN for p in planned] == [
        timedelta(0),
        timedelta(seconds=60),
        timedelta(seconds=300),
    ]
    assert [(p.member, p.webhook_id) for p in planned] == [("m1", ""), ("", "w1"), ("m2", "")]


def test_a_step_never_goes_out_before_the_one_listed_before_it() -> None:
    steps = [AlertStep("m1", "", 600), AlertStep("m2", "", 0), AlertStep("m3", "", 900)]
    dues = [p.due_time - OPEN for p in plan_notifications(steps, OPEN)]
    assert dues == [timedelta(seconds=600), timedelta(seconds=600), timedelta(seconds=900)]
