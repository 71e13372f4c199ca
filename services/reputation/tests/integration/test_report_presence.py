"""A report shows the presence of its brand over its period, fed as in production: the
publisher's `account.snapshotted` and the listener's `mention.captured` over NATS, through the
store's write path, on SQLite or PostgreSQL. Every figure below is worked out by hand."""

import csv
import io
from datetime import timedelta
from typing import Any

import pypdf
from vigie.reputation.v1 import reports_pb2 as pb
from vigie_reputation.presence_testing import (
    MAIN,
    MENTIONS,
    PRESENCE,
    RIVAL,
    Feeds,
    applied,
    engagement,
    feeds_on,
)
from vigie_runtime.testing.waiting import eventually

from .conftest import Reputation
from .test_reports_api import END, START, TENANT, download, generate, quick, ready, seed, service

__all__ = ["quick", "service"]  # the fixtures this module borrows


async def feed_presence(feeds: Feeds) -> None:
    """lumiere's account over the 3 local days of the period (D0..D2), the rival's account
    (lumiere's competitor), and a question put to lumiere on D1."""
    d0, d1, d2 = START, START + timedelta(days=1), START + timedelta(days=2)
    # Before the period: outside every figure.
    await feeds.snapshot(MAIN, d0 - timedelta(hours=2), 900, [], event_id="rp0")
    await feeds.snapshot(MAIN, d0 + timedelta(hours=10), 1000, [], event_id="rp1")
    first = [
        engagement("at://lumiere/p1", d1 + timedelta(hours=9), 10, reposts=5, replies=3, quotes=2),
        # The answer to the question, 30 minutes after it.
        engagement("at://lumiere/r1", d1 + timedelta(hours=8, minutes=30), 0, reply_to_uri="at://alice/q1"),
    ]  # fmt: skip
    await feeds.snapshot(MAIN, d1 + timedelta(hours=10), 1100, first, event_id="rp2")
    # p1's latest engagement (30 likes) replaces the first reading; p2 is new.
    later = [
        engagement("at://lumiere/p1", d1 + timedelta(hours=9), 30, reposts=5, replies=3, quotes=2),
        engagement("at://lumiere/p2", d2 + timedelta(hours=9), 4),
    ]  # fmt: skip
    await feeds.snapshot(MAIN, d2 + timedelta(hours=10), 1200, later, event_id="rp3")
    rival = [engagement("at://rival/p1", d1 + timedelta(hours=12), 60)]
    await feeds.snapshot(RIVAL, d2 + timedelta(hours=10), 5000, rival, event_id="rp4", owned=False)
    await feeds.question("q1", "at://alice/q1", "open on Sunday?", d1 + timedelta(hours=8))


async def reported(reports: Any, reputation: Reputation, fmt: int) -> bytes:
    auth = reputation.admin(TENANT)
    queued = await reports.GenerateReport(generate(fmt), metadata=auth)
    report = await ready(reports, queued.name, auth)
    assert report.state == pb.REPORT_STATE_READY, report.failure_reason
    return await download(reports, report.name, auth)


async def test_a_report_shows_the_brands_presence_over_its_period(
    service: tuple[Any, Reputation],
) -> None:
    reports, reputation = service
    await seed(reputation)  # the subsidiary (Paris, fr-FR), lumiere and its competitor rival
    await feed_presence(await feeds_on(reputation.js))
    await eventually(applied(reputation.store, PRESENCE, 5))
    await eventually(applied(reputation.store, MENTIONS, 6))  # seed's 5 mentions + the question

    pdf = await reported(reports, reputation, pb.REPORT_FORMAT_PDF)
    text = "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    # Followers 1000 (D0 10:00) -> 1200 (D2 10:00); the 900 before the period does not count.
    assert "Abonnés au début\n1 000" in text and "Abonnés à la fin\n1 200" in text
    assert "+200 (20,0 %)" in text
    # 3 posts (p1, r1, p2): p1 30+5+3+2 = 40, r1 0, p2 4 -> 44 engagements.
    assert "Engagements\n44" in text
    # Rates over followers when first seen: (40/1100 + 0/1100 + 4/1200) / 3 = 1.32 %.
    assert "Taux d'engagement\n1,32 %" in text
    # Potential reach: 1100 + 1100 + 1200 followers when posted.
    assert "Portée potentielle (abonnés à la publication)\n3 400" in text
    # One question, answered after 30 minutes; lumiere 44 of 44 + 60 engagements = 42.3 %.
    assert "Questions avec réponse\n1 / 1" in text and "30 min" in text
    assert "Part d'engagement" in text and "42,3 %" in text and "57,7 %" in text
    assert "Abonnés par jour" in text and "Meilleures publications" in text
    assert "Aucune donnée de présence" not in text

    content = await reported(reports, reputation, pb.REPORT_FORMAT_CSV)
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))
    value = {(r["section"], r["item"], r["measure"]): r["value"] for r in rows}
    summary = {m: value[("presence", "", m)] for m in (
        "followers_start", "followers_end", "growth", "posts", "engagements", "engagement_rate",
        "potential_reach", "questions", "answered", "median_response_seconds",
    )}  # fmt: skip
    assert summary == {
        "followers_start": "1000",
        "followers_end": "1200",
        "growth": "200",
        "posts": "3",
        "engagements": "44",
        "engagement_rate": f"{(40 / 1100 + 4 / 1200) / 3:.4f}",  # 0.0132
        "potential_reach": "3400",
        "questions": "1",
        "answered": "1",
        "median_response_seconds": "1800",
    }
    weeks = (END - START) / timedelta(weeks=1)  # 3 days (72 hours but at a clock change)
    assert value[("presence", "", "posts_per_week")] == f"{3 / weeks:.4f}"
    days = sorted(
        (k[1], v) for k, v in value.items() if k[0] == "audience_by_day" and k[2] == "followers"
    )
    assert [v for _, v in days] == ["1000", "1100", "1200"]
    assert value[("top_posts", "1:https://bsky.app/p1", "engagements")] == "40"
    assert value[("share_of_engagement", "lumiere", "share")] == f"{44 / 104:.4f}"
    assert value[("share_of_engagement", "rival", "engagements")] == "60"
    assert value[("presence", "@lumiere.test", "network")] == "bluesky"
