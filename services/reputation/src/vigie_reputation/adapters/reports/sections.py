"""The report's sections as rows of localized text, shared by the PDF's tables (the CSV keeps
raw values instead)."""

from collections.abc import Mapping

from vigie_reputation.domain.reports.formatting import LocaleFormat
from vigie_reputation.domain.reports.model import Report

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


def presence_rows(report: Report, t: Mapping[str, str], fmt: LocaleFormat) -> Rows:
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
            f"{a.followers_end - a.followers_start:+,}".replace(",", fmt.group),
            fmt.integer(a.posts),
            fmt.ratio(a.engagement_rate, 2) if a.engagement_rate is not None else "-",
        ]
        for a in report.presence or []
    ]
