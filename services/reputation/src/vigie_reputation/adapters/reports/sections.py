"""The report's sections as rows of localized text, shared by the PDF's tables (the CSV keeps
raw values instead)."""

from collections.abc import Mapping
from datetime import timedelta

from vigie_reputation.domain.reports.formatting import LocaleFormat
from vigie_reputation.domain.reports.model import PresenceSection, Report

Rows = list[list[str]]


def reputation_rows(report: Report, t: Mapping[str, str], fmt: LocaleFormat) -> Rows:
    r = report.reputation
    net = (r.positive - r.negative) / r.volume if r.volume else 0.0
    return [
        [t["index"], fmt.number(r.index_value) + " / 100"],
        [t["previous_index"], fmt.number(r.previous_index_value) + " / 100"],
        [t["volume"], fmt.integer(r.volume)],
        [t["positive"], fmt.integer(r.positive)],
        [t["negative"], fmt.integer(r.negative)],
        [t["net_sentiment"], fmt.number(net, 2)],
    ]


def index_change(report: Report, t: Mapping[str, str], fmt: LocaleFormat) -> str:
    r = report.reputation
    change = r.index_value - r.previous_index_value
    sign = "+" if change >= 0 else "-"
    return t["index_change"].format(change=sign + fmt.number(abs(change)))


def share_rows(report: Report, t: Mapping[str, str], fmt: LocaleFormat) -> Rows:
    header = [t["brand"], t["volume"], t["share"]]
    return [header] + [
        [s.brand, fmt.integer(s.volume), fmt.ratio(s.share)] for s in report.reputation.shares
    ]


def crisis_rows(report: Report, t: Mapping[str, str], fmt: LocaleFormat) -> Rows:
    header = [t["brand"], t["severity"], t["status"], t["opened"], t["resolved"]]
    return [header] + [
        [
            c.brand,
            t.get(c.severity, c.severity),
            t.get(c.status, c.status),
            fmt.date_time(report.local(c.open_time)),
            fmt.date_time(report.local(c.resolve_time)) if c.resolve_time else "-",
        ]
        for c in report.crises
    ]


def timeline_rows(report: Report, t: Mapping[str, str], fmt: LocaleFormat) -> Rows:
    header = [t["opened"], t["status"], t["what"]]
    return [header] + [
        [fmt.date_time(report.local(e.time)), e.kind, e.summary] for e in report.crisis_room
    ]


def campaign_rows(report: Report, t: Mapping[str, str], fmt: LocaleFormat) -> Rows:
    header = [t["campaign"], t["volume"], t["reach"], t["spend"], t["revenue"], t["roi"]]
    return [header] + [
        [
            c.display_name,
            fmt.integer(c.mentions),
            fmt.integer(c.reach),
            fmt.amount(c.spend, c.currency),
            fmt.amount(c.revenue, c.currency),
            fmt.ratio(float(c.roi)) if c.roi else "-",
        ]
        for c in report.campaigns
    ]


def _signed(value: int, fmt: LocaleFormat) -> str:
    return f"{value:+,}".replace(",", fmt.group)


def _duration(value: timedelta | None) -> str:
    """Minutes, and hours when there are any ("2 h 05 min"); "-" when nothing was answered."""
    if value is None:
        return "-"
    minutes = round(value.total_seconds() / 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min" if hours else f"{minutes} min"


def presence_rows(presence: PresenceSection, t: Mapping[str, str], fmt: LocaleFormat) -> Rows:
    p = presence
    growth = p.growth / p.followers_start if p.followers_start else 0.0
    reach = t["reach"] if p.reach_is_impressions else t["potential_reach"]
    return [
        [t["followers_start"], fmt.integer(p.followers_start)],
        [t["followers_end"], fmt.integer(p.followers_end)],
        [t["growth"], f"{_signed(p.growth, fmt)} ({fmt.ratio(growth, 1)})"],
        [t["posts"], fmt.integer(p.posts)],
        [t["posts_per_week"], fmt.number(p.posts_per_week, 2)],
        [t["engagements"], fmt.integer(p.engagements)],
        [t["engagement_rate"], fmt.ratio(p.engagement_rate, 2)],
        [reach, fmt.integer(p.reach)],
        [t["questions_answered"], f"{fmt.integer(p.answered)} / {fmt.integer(p.questions)}"],
        [t["median_response"], _duration(p.median_response)],
        [t["p90_response"], _duration(p.p90_response)],
    ]


def account_rows(presence: PresenceSection, t: Mapping[str, str], fmt: LocaleFormat) -> Rows:
    header = [
        t["account"],
        t["network"],
        t["followers"],
        t["follower_change"],
        t["posts"],
        t["engagement_rate"],
    ]
    return [header] + [
        [
            a.account,
            a.network,
            fmt.integer(a.followers_end),
            _signed(a.followers_end - a.followers_start, fmt),
            fmt.integer(a.posts),
            fmt.ratio(a.engagement_rate, 2) if a.engagement_rate is not None else "-",
        ]
        for a in presence.accounts
    ]


def top_post_rows(report: Report, t: Mapping[str, str], fmt: LocaleFormat) -> Rows:
    header = [t["post"], t["account"], t["day"], t["engagements"], t["engagement_rate"]]
    presence = report.presence
    return [header] + [
        [
            # A table cell does not wrap: long texts are cut.
            p.text if len(p.text) <= 40 else p.text[:39] + "\u2026",
            p.account,
            fmt.date_time(report.local(p.create_time)),
            fmt.integer(p.engagements),
            fmt.ratio(p.engagement_rate, 2),
        ]
        for p in (presence.top_posts if presence else [])
    ]


def engagement_share_rows(
    presence: PresenceSection, t: Mapping[str, str], fmt: LocaleFormat
) -> Rows:
    header = [t["brand"], t["engagements"], t["share"]]
    return [header] + [
        [s.brand, fmt.integer(s.engagements), fmt.ratio(s.share)] for s in presence.shares
    ]
