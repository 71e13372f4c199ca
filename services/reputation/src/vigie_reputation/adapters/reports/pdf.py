"""A report as a PDF: a title page, then presence (with its audience chart), reputation (with
its charts), crises and campaigns. The same report gives the same bytes: reportlab's invariant
mode, and the document's dates set to the moment the figures describe."""

import io
import time
from datetime import datetime
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.lib.utils import TimeStamp
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from vigie_reputation.adapters.reports import charts, sections
from vigie_reputation.domain.reports.formatting import locale_format
from vigie_reputation.domain.reports.model import Report
from vigie_reputation.domain.reports.texts import texts

EN_DASH = "\u2013"
STYLES = getSampleStyleSheet()
TABLE_STYLE = TableStyle(
    [
        ("FONT", (0, 0), (-1, -1), "Helvetica", 9),
        ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
)
HEADED = TableStyle(
    [
        ("FONT", (0, 0), (-1, 0), "Helvetica-Bold", 9),
        ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke),
    ]
)


def _fixed_stamp(moment: datetime) -> TimeStamp:
    stamp = TimeStamp(invariant=True)
    stamp.t = moment.timestamp()
    stamp.lt = time.gmtime(stamp.t)
    stamp.YMDhms = tuple(stamp.lt)[:6]
    return stamp


def _canvas_maker(moment: datetime) -> type[Canvas]:
    class FixedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **{**kwargs, "invariant": 1})
            # reportlab dates the document from its private time stamp, read at save time.
            self._doc._timeStamp = _fixed_stamp(moment)  # type: ignore[attr-defined]

    return FixedCanvas


def _table(rows: list[list[str]], headed: bool = True) -> Table:
    table = Table(rows, hAlign="LEFT", repeatRows=1 if headed else 0)
    table.setStyle(TABLE_STYLE)
    if headed:
        table.setStyle(HEADED)
    return table


def _title_page(report: Report) -> list[Flowable]:
    t, fmt = texts(report.language), locale_format(report.locale)
    period = f"{fmt.date(report.first_day)} {EN_DASH} {fmt.date(report.last_day)}"
    return [
        Spacer(1, 6 * cm),
        Paragraph(t["title"], STYLES["Title"]),
        Paragraph(report.subject, STYLES["Heading1"]),
        Paragraph(f"{t['period']}: {period}", STYLES["Normal"]),
        Paragraph(f"{t['time_zone']}: {report.time_zone}", STYLES["Normal"]),
        Paragraph(
            f"{t['generated']}: {fmt.date_time(report.local(report.generated_for))}",
            STYLES["Normal"],
        ),
        PageBreak(),
    ]


def _presence(report: Report) -> list[Flowable]:
    t, fmt = texts(report.language), locale_format(report.locale)
    presence = report.presence
    assert presence is not None  # the caller checked
    subheading = STYLES["Heading3"]
    story: list[Flowable] = [
        _table(sections.presence_rows(presence, t, fmt), headed=False),
        Spacer(1, 0.4 * cm),
        charts.audience_chart(presence.days, t, fmt),
        Spacer(1, 0.4 * cm),
        _table(sections.account_rows(presence, t, fmt)),
    ]
    if presence.top_posts:
        story += [
            Paragraph(t["top_posts"], subheading),
            _table(sections.top_post_rows(report, t, fmt)),
        ]
    if presence.shares:
        story += [
            Paragraph(t["share_of_engagement"], subheading),
            _table(sections.engagement_share_rows(presence, t, fmt)),
        ]
    return story


def _body(report: Report) -> list[Flowable]:
    t, fmt = texts(report.language), locale_format(report.locale)
    heading, normal = STYLES["Heading2"], STYLES["Normal"]
    story: list[Flowable] = []
    if report.crisis_room:  # an exported crisis room leads with what happened
        story += [Paragraph(t["crisis_room"], heading)]
        story += [_table(sections.timeline_rows(report, t, fmt)), Spacer(1, 0.4 * cm)]
    story.append(Paragraph(t["presence"], heading))
    story += _presence(report) if report.presence else [Paragraph(t["no_presence"], normal)]
    story += [
        Paragraph(t["reputation"], heading),
        _table(sections.reputation_rows(report, t, fmt), headed=False),
        Paragraph(sections.index_change(report, t, fmt), normal),
        Spacer(1, 0.4 * cm),
        charts.sentiment_chart(report.reputation.days, t, fmt),
        Spacer(1, 0.4 * cm),
        charts.share_chart(report.reputation.shares, t, fmt),
        _table(sections.share_rows(report, t, fmt)),
        Paragraph(t["crises"], heading),
    ]
    crises = sections.crisis_rows(report, t, fmt)
    story.append(_table(crises) if report.crises else Paragraph(t["no_crises"], normal))
    story.append(Paragraph(t["campaigns"], heading))
    campaigns = sections.campaign_rows(report, t, fmt)
    story.append(_table(campaigns) if report.campaigns else Paragraph(t["no_campaigns"], normal))
    return story


def render_pdf(report: Report) -> bytes:
    out = io.BytesIO()
    t = texts(report.language)
    document = SimpleDocTemplate(
        out,
        pagesize=A4,
        title=f"{t['title']} — {report.subject}",
        author="Vigie",
        subject=report.subject_name,
        invariant=1,
    )
    document.build(
        _title_page(report) + _body(report), canvasmaker=_canvas_maker(report.generated_for)
    )
    return out.getvalue()
