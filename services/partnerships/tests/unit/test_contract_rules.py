"""The contract lifecycle and the overlap rule."""

from datetime import UTC, datetime

import pytest
from vigie_partnerships.domain.contracts import (
    RefusedTransition,
    Status,
    Window,
    overlaps,
    status_at_signature,
    transition,
)

JAN = datetime(2026, 1, 1, tzinfo=UTC)
FEB = datetime(2026, 2, 1, tzinfo=UTC)
MAR = datetime(2026, 3, 1, tzinfo=UTC)


def test_the_lifecycle_goes_forward_only() -> None:
    assert transition(Status.PROPOSED, Status.SIGNED) is Status.SIGNED
    assert transition(Status.ACTIVE, Status.COMPLETED) is Status.COMPLETED
    for current, wanted in [
        (Status.COMPLETED, Status.CANCELLED),
        (Status.CANCELLED, Status.SIGNED),
        (Status.PROPOSED, Status.ACTIVE),
        (Status.SIGNED, Status.PROPOSED),
    ]:
        with pytest.raises(RefusedTransition):
            transition(current, wanted)


def test_signing_a_running_campaign_makes_the_contract_active_at_once() -> None:
    assert status_at_signature(JAN, FEB) is Status.ACTIVE
    assert status_at_signature(FEB, JAN) is Status.SIGNED


def test_contracts_overlap_when_they_share_a_brand_and_days() -> None:
    lumiere = frozenset({"lumiere"})
    assert overlaps(Window(JAN, MAR, lumiere), Window(FEB, MAR, lumiere))
    assert not overlaps(Window(JAN, FEB, lumiere), Window(FEB, MAR, lumiere))  # back to back
    assert not overlaps(Window(JAN, MAR, lumiere), Window(FEB, MAR, frozenset({"other"})))
