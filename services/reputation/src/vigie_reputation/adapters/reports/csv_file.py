"""A report as one CSV file of sectioned rows: `section,item,measure,value,label`.

Values are written for machines (ISO 8601 dates, dot decimals, ratios in [0, 1]) so that any
spreadsheet or script reads them the same; `label` carries the measure's name in the report's
language for people."""

import csv
import io
from collections.abc import Iterator, Mapping
from datetime import timedelta

from vigie_reputation.domain.reports.model import Report
from vigie_reputation.domain.reports.texts import texts

HEADER = ("section", "item", "measure", "value", "label")
Row = tuple[str, str, str, str, str]


def _report_rows(report: Report, t: Mapping[str, str]) -> Iterator[Row]:
    yield ("report", "", "subject", report.subject, t["title"])
    yield ("report", "", "subject_name", report.subject_name, "")
    yield ("report", "", "start_time", report.start.isoformat(), t["period"])
    yield ("report", "", "end_time", report.end.isoformat(), t["period"])
    yield ("report", "", "first_day", report.first_day.isoformat(), t["period"])
    yield ("report", "", "last_day", report.last_day.isoformat(), t["period"])
    yield ("report", "", "time_zone", report.time_zone, t["time_zone"])
    yield ("report", "", "language", report.language, "")


def _reputation_rows(report: Report, t: Mapping[str, str]) -> Iterator[Row]:
    r = report.reputation
    yield ("reputation", "", "index", f"{r.index_value:.1f}", t["index"])
    yield ("reputation", "", "previous_index", f"{r.previous_index_value:.1f}", t["previous_index"])
    yield ("reputation", "", "volume", str(r.volume), t["volume"])
    yield ("reputation", "", "positive", str(r.positive), t["positive"])
    yield ("reputation", "", "negative", str(r.negative), t["negative"])
    for d in r.days:
        day = d.day.isoformat()
        yield ("sentiment_by_day", day, "volume", str(d.volume), t["volume"])
        yield ("sentiment_by_day", day, "positive", str(d.positive), t["positive"])
        yield ("sentiment_by_day", day, "neutral", str(d.neutral), t["neutral"])
        yield ("sentiment_by_day", day, "negative", str(d.negative), t["negative"])
        yield (
            "sentiment_by_day",
            day,
            "net_sentiment",
            f"{d.net_sentiment:.4f}",
            t["net_sentiment"],
        )
    for s in r.shares:
        yield ("share_of_voice", s.brand, "volume", str(s.volume), t["volume"])
        yield ("share_of_voice", s.brand, "share", f"{s.share:.4f}", t["share"])


def _other_rows(report: Report, t: Mapping[str, str]) -> Iterator[Row]:
    for i, e in enumerate(report.crisis_room, 1):
        item = f"{i}:{e.kind}"
        yield ("crisis_room", item, "time", e.time.isoformat(), t["opened"])
        yield ("crisis_room", item, "summary", e.summary, t["what"])
        yield ("crisis_room", item, "subject", e.subject, t["what"])
    for i, c in enumerate(report.crises, 1):
        item = f"{i}:{c.brand}"
        yield ("crises", item, "severity", c.severity, t["severity"])
        yield ("crises", item, "status", c.status, t["status"])
        yield ("crises", item, "open_time", c.open_time.isoformat(), t["opened"])
        resolved = c.resolve_time.isoformat() if c.resolve_time else ""
        yield ("crises", item, "resolve_time", resolved, t["resolved"])
    for k in report.campaigns:
        yield ("campaigns", k.display_name, "mentions", str(k.mentions), t["volume"])
        yield ("campaigns", k.display_name, "reach", str(k.reach), t["reach"])
        yield ("campaigns", k.display_name, "engagements", str(k.engagements), t["engagements"])
        yield ("campaigns", k.display_name, "spend", f"{k.spend} {k.currency}", t["spend"])
        yield ("campaigns", k.display_name, "revenue", f"{k.revenue} {k.currency}", t["revenue"])
        yield ("campaigns", k.display_name, "roi", k.roi, t["roi"])


def _presence_rows(report: Report, t: Mapping[str, str]) -> Iterator[Row]:
    p = report.presence
    if p is None:
        return
    reach = "reach" if p.reach_is_impressions else "potential_reach"
    for measure, value, label in (
        ("followers_start", str(p.followers_start), t["followers_start"]),
        ("followers_end", str(p.followers_end), t["followers_end"]),
        ("growth", str(p.growth), t["growth"]),
        ("posts", str(p.posts), t["posts"]),
        ("posts_per_week", f"{p.posts_per_week:.4f}", t["posts_per_week"]),
        ("engagements", str(p.engagements), t["engagements"]),
        ("engagement_rate", f"{p.engagement_rate:.4f}", t["engagement_rate"]),
        (reach, str(p.reach), t[reach]),
        ("questions", str(p.questions), t["questions_answered"]),
        ("answered", str(p.answered), t["questions_answered"]),
        ("median_response_seconds", _seconds(p.median_response), t["median_response"]),
        ("p90_response_seconds", _seconds(p.p90_response), t["p90_response"]),
    ):
        yield ("presence", "", measure, value, label)
    for d in p.days:
        day = d.day.isoformat()
        yield ("audience_by_day", day, "followers", str(d.followers), t["followers"])
        yield ("audience_by_day", day, "posts", str(d.posts), t["posts"])
        yield ("audience_by_day", day, "engagements", str(d.engagements), t["engagements"])
    for a in p.accounts:
        yield ("presence", a.account, "network", a.network, t["network"])
        yield ("presence", a.account, "followers_start", str(a.followers_start), t["followers"])
        yield ("presence", a.account, "followers_end", str(a.followers_end), t["followers"])
        yield ("presence", a.account, "posts", str(a.posts), t["posts"])
        rate = "" if a.engagement_rate is None else f"{a.engagement_rate:.4f}"
        yield ("presence", a.account, "engagement_rate", rate, t["engagement_rate"])
    for i, post in enumerate(p.top_posts, 1):
        item = f"{i}:{post.url}"
        yield ("top_posts", item, "account", post.account, t["account"])
        yield ("top_posts", item, "create_time", post.create_time.isoformat(), t["day"])
        yield ("top_posts", item, "engagements", str(post.engagements), t["engagements"])
        rate = f"{post.engagement_rate:.4f}"
        yield ("top_posts", item, "engagement_rate", rate, t["engagement_rate"])
    for s in p.shares:
        yield ("share_of_engagement", s.brand, "engagements", str(s.engagements), t["engagements"])
        yield ("share_of_engagement", s.brand, "share", f"{s.share:.4f}", t["share_of_engagement"])


def _seconds(value: timedelta | None) -> str:
    return "" if value is None else str(int(value.total_seconds()))


def render_csv(report: Report) -> bytes:
    t = texts(report.language)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows(_report_rows(report, t))
    writer.writerows(_reputation_rows(report, t))
    writer.writerows(_presence_rows(report, t))
    writer.writerows(_other_rows(report, t))
    # A BOM so spreadsheets open the accents of the labels as UTF-8.
    return ("\ufeff" + out.getvalue()).encode()
