"""The inbox's pure rules, with answers worked by hand."""

from datetime import UTC, datetime, timedelta

import pytest
from vigie_listener.domain.inbox_reasons import (
    MentionFacts,
    Reason,
    is_complaint,
    is_question,
    reasons,
)
from vigie_listener.domain.inbox_status import (
    Status,
    after_assignment,
    after_reply,
    after_request,
)
from vigie_listener.domain.response_times import nearest_rank, stats
from vigie_listener.domain.urgency import base, rank_key, urgency

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("Vous ouvrez dimanche ?", "fr", True),
        ("@lumiere.test comment on réserve une table", "fr", True),
        ("How do I get a refund", "en", True),
        ("Love the new menu", "en", False),
        ("¿Dónde está la tienda", "es", True),
        ("Super café ce matin", "fr", False),
    ],
)
def test_a_question_is_a_mark_or_an_opening_word(text: str, language: str, expected: bool) -> None:
    assert is_question(text, language) is expected


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("Toujours pas été remboursé, c'est inadmissible", "fr", True),
        ("Je suis déçue du service", "fr", True),
        ("My order never arrived", "en", True),
        ("The coffee is great", "en", False),
        ("Un toujours excellent café", "fr", False),
    ],
)
def test_a_complaint_is_found_by_its_words(text: str, language: str, expected: bool) -> None:
    assert is_complaint(text, language) is expected


def test_reasons_combine_in_the_contract_order() -> None:
    facts = MentionFacts("Remboursez-moi ?", "fr", 50_000, True, "NEGATIVE")
    assert reasons(facts, high_reach_followers=10_000) == [
        Reason.QUESTION,
        Reason.COMPLAINT,
        Reason.HIGH_REACH_NEGATIVE,
        Reason.REPLY_TO_OWN_POST,
    ]


def test_a_negative_mention_needs_a_person_only_from_a_high_reach_author() -> None:
    low = MentionFacts("Bof.", "fr", 9_999, False, "NEGATIVE")
    high = MentionFacts("Bof.", "fr", 10_000, False, "NEGATIVE")
    unscored = MentionFacts("Bof.", "fr", 10_000, False, "")
    assert reasons(low, 10_000) == []
    assert reasons(high, 10_000) == [Reason.HIGH_REACH_NEGATIVE]
    assert reasons(unscored, 10_000) == []


def test_urgency_adds_reach_sentiment_crisis_and_waiting() -> None:
    # reach: 10 x log10(1 + 9,999) = 40; negative 30; crisis 40; 2 h 30 min waited: 25.
    found = urgency(9_999, "NEGATIVE", True, T0, T0 + timedelta(hours=2, minutes=30))
    assert [(p.factor, p.score) for p in found.parts] == [
        ("REACH", 40.0),
        ("SENTIMENT", 30.0),
        ("CRISIS", 40.0),
        ("WAITING", 25.0),
    ]
    assert found.total == 135.0
    assert found.parts[0].explanation == "9,999 followers"
    assert found.parts[3].explanation == "waited 2.5 h"


def test_reach_is_capped_and_unscored_counts_nothing() -> None:
    # 10 x log10(1 + 10,000,000) ≈ 70, capped at 50; 0 followers: 0.
    assert urgency(10_000_000, "", False, T0, T0).total == 50.0
    assert urgency(0, "POSITIVE", False, T0, T0).total == 0.0


def test_rank_key_orders_waiting_items_like_their_urgency() -> None:
    now = T0 + timedelta(hours=5)
    old_small = (base(0, "", False), T0)  # urgency 0 + 50 = 50
    new_loud = (base(9_999, "NEGATIVE", False), T0 + timedelta(hours=4))  # 70 + 10 = 80
    totals = [
        urgency(0, "", False, T0, now).total,
        urgency(9_999, "NEGATIVE", False, new_loud[1], now).total,
    ]
    assert totals == [50.0, 80.0]
    assert rank_key(*new_loud) > rank_key(*old_small)
    # Seven hours later the old one has waited 12 h (120) and the loud one 8 h (70 + 80 = 150).
    assert rank_key(*new_loud) - rank_key(*old_small) == pytest.approx(150.0 - 120.0)


def test_status_moves() -> None:
    assert after_assignment(Status.NEW, "tenants/t/members/m") is Status.ASSIGNED
    assert after_assignment(Status.ASSIGNED, "") is Status.NEW
    assert after_assignment(Status.ANSWERED, "tenants/t/members/m") is Status.ANSWERED
    assert after_assignment(Status.CLOSED, "tenants/t/members/m") is None
    assert after_request(Status.ANSWERED, Status.CLOSED, "") is Status.CLOSED
    assert after_request(Status.CLOSED, Status.CLOSED, "") is None
    assert after_request(Status.CLOSED, Status.NEW, "m") is Status.ASSIGNED
    assert after_request(Status.NEW, Status.NEW, "") is None
    assert after_request(Status.NEW, Status.ANSWERED, "") is None
    assert after_reply(Status.ASSIGNED) is Status.ANSWERED
    assert after_reply(Status.CLOSED) is Status.CLOSED


def test_response_time_stats_by_hand() -> None:
    # Answered after 60, 120, 180, 600 s; one still waiting for 900 s; target 300 s.
    found = stats([600, 60, 180, 120], waiting=[900], target_seconds=300)
    assert found.count == 4
    assert found.p50_seconds == 120  # rank ceil(0.5 x 4) = 2
    assert found.p90_seconds == 600  # rank ceil(0.9 x 4) = 4
    assert found.mean_seconds == 240  # 960 / 4
    assert found.breach_count == 2  # 600 > 300 and the 900 s wait
    assert stats([], [], 0).p50_seconds == 0
    assert nearest_rank([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90) == 9
