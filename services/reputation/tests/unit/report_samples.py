"""A report with known figures, for the rendering tests."""

from datetime import UTC, date, datetime, timedelta

from vigie_reputation.domain.reports.model import (
    AccountPresence,
    AudienceDay,
    CampaignLine,
    CrisisLine,
    DayPoint,
    PresenceSection,
    Report,
    Reputation,
    Share,
)

START = datetime(2026, 10, 31, 23, tzinfo=UTC)  # 1 November 2026, 00:00 in Paris
END = datetime(2026, 11, 30, 23, tzinfo=UTC)


def sample_report(language: str = "en", locale: str = "en-GB", presence: bool = True) -> Report:
    days = [
        DayPoint(date(2026, 11, 1) + timedelta(days=i), 40 + i, 20 + i, 15, 5) for i in range(30)
    ]
    return Report(
        subject="Lumière Café",
        subject_name="tenants/t_acme/brands/lumiere",
        start=START,
        end=END,
        language=language,
        locale=locale,
        time_zone="Europe/Paris",
        generated_for=END,
        reputation=Reputation(
            index_value=63.4,
            previous_index_value=58.1,
            days=days,
            shares=[Share("Lumière Café", 1635, 0.6125), Share("Brewster", 1034, 0.3875)],
        ),
        crises=[
            CrisisLine(
                "Lumière Café",
                "major",
                "resolved",
                START + timedelta(days=3, hours=9),
                START + timedelta(days=4),
            )
        ],
        campaigns=[
            CampaignLine(
                "Autumn roast", 12, 48_000, 1_200, "800.00", "1000.00", "EUR", "0.2500", END
            )
        ],
        presence=_presence() if presence else None,
    )


def _presence() -> PresenceSection:
    return PresenceSection(
        followers_start=12_000,
        followers_end=12_345,
        posts=31,
        posts_per_week=31 / (30 / 7),
        engagements=2_480,
        engagement_rate=0.0321,
        reach=372_000,
        reach_is_impressions=False,
        questions=4,
        answered=3,
        median_response=timedelta(minutes=30),
        p90_response=timedelta(hours=2, minutes=5),
        days=[
            AudienceDay(date(2026, 11, 1) + timedelta(days=i), 12_000 + 11 * i, 1, 80)
            for i in range(30)
        ],
        accounts=[AccountPresence("@lumiere.bsky.social", "bluesky", 12_000, 12_345, 31, 0.0321)],
    )
