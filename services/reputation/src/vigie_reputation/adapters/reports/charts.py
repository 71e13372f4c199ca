"""The report's charts as reportlab drawings: followers per day (a line), mentions and net
sentiment per day (bars and a line on a second scale), and share of voice (horizontal bars)."""

from collections.abc import Mapping, Sequence
from typing import Any

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors

from vigie_reputation.domain.reports.formatting import LocaleFormat
from vigie_reputation.domain.reports.model import AudienceDay, DayPoint, Share

WIDTH, HEIGHT = 460, 220
VOLUME_COLOUR = colors.HexColor("#4C78A8")
NET_COLOUR = colors.HexColor("#E45756")
MAX_LABELS = 12


def _day_labels(days: Sequence[DayPoint | AudienceDay], fmt: LocaleFormat) -> list[str]:
    # Only about a dozen dates fit under the axis: the others are left blank.
    step = max(1, -(-len(days) // MAX_LABELS))
    return [
        f"{d.day.day} {fmt.months[d.day.month - 1]}" if i % step == 0 else ""
        for i, d in enumerate(days)
    ]


def _titled(height: float, title: str) -> Drawing:
    drawing = Drawing(WIDTH, height)
    drawing.add(String(0, height - 12, title, fontName="Helvetica-Bold", fontSize=10))
    return drawing


def _date_axis(axis: Any, days: Sequence[DayPoint | AudienceDay], fmt: LocaleFormat) -> None:
    axis.categoryNames = _day_labels(days, fmt) or [""]
    axis.labels.fontSize = 6
    axis.labels.angle = 45
    axis.labels.boxAnchor = "ne"


def sentiment_chart(days: list[DayPoint], texts: Mapping[str, str], fmt: LocaleFormat) -> Drawing:
    drawing = _titled(HEIGHT, texts["sentiment_chart"])
    bars = VerticalBarChart()
    bars.x, bars.y, bars.width, bars.height = 40, 40, WIDTH - 80, HEIGHT - 70
    bars.data = [[d.volume for d in days] or [0]]
    bars.bars[0].fillColor = VOLUME_COLOUR
    bars.valueAxis.valueMin = 0
    _date_axis(bars.categoryAxis, days, fmt)
    bars.valueAxis.labels.fontSize = 7
    bars.valueAxis.labelTextFormat = lambda v: fmt.integer(int(v))
    drawing.add(bars)
    # Net sentiment in [-1, 1] drawn over the bars, on its own scale at the right.
    line = HorizontalLineChart()
    line.x, line.y, line.width, line.height = bars.x, bars.y, bars.width, bars.height
    line.data = [[d.net_sentiment for d in days] or [0.0]]
    line.lines[0].strokeColor = NET_COLOUR
    line.lines[0].strokeWidth = 1.5
    line.valueAxis.valueMin, line.valueAxis.valueMax = -1, 1
    line.valueAxis.joinAxisMode = "right"
    # Its labels outside the plot, to the right of the axis, clear of the bars.
    line.valueAxis.labels.boxAnchor = "w"
    line.valueAxis.labels.dx = 12
    line.valueAxis.labels.fontSize = 7
    line.valueAxis.labelTextFormat = lambda v: fmt.number(v, 1)
    line.categoryAxis.visible = False
    drawing.add(line)
    drawing.add(String(40, 4, texts["volume"], fillColor=VOLUME_COLOUR, fontSize=8))
    drawing.add(String(160, 4, f"— {texts['net_sentiment']}", fillColor=NET_COLOUR, fontSize=8))
    return drawing


def share_chart(shares: list[Share], texts: Mapping[str, str], fmt: LocaleFormat) -> Drawing:
    height = 50 + 22 * max(len(shares), 1)
    drawing = _titled(height, texts["share_of_voice"])
    bars = HorizontalBarChart()
    bars.x, bars.y, bars.width, bars.height = 120, 20, WIDTH - 160, height - 45
    bars.data = [[s.share * 100 for s in shares] or [0]]
    bars.bars[0].fillColor = VOLUME_COLOUR
    bars.valueAxis.valueMin, bars.valueAxis.valueMax = 0, 100
    bars.valueAxis.labelTextFormat = lambda v: fmt.number(v, 0) + fmt.percent
    bars.valueAxis.labels.fontSize = 7
    bars.categoryAxis.categoryNames = [s.brand for s in shares] or [""]
    bars.categoryAxis.labels.fontSize = 8
    drawing.add(bars)
    return drawing


def audience_chart(days: list[AudienceDay], texts: Mapping[str, str], fmt: LocaleFormat) -> Drawing:
    """Followers per day, on a scale fitted to their range (growth is small beside the total)."""
    drawing = _titled(HEIGHT, texts["audience_chart"])
    line = HorizontalLineChart()
    line.x, line.y, line.width, line.height = 50, 40, WIDTH - 80, HEIGHT - 70
    followers = [d.followers for d in days] or [0]
    line.data = [followers]
    line.lines[0].strokeColor = VOLUME_COLOUR
    line.lines[0].strokeWidth = 1.5
    low, high = min(followers), max(followers)
    margin = max(1, (high - low) // 10)
    line.valueAxis.valueMin, line.valueAxis.valueMax = max(0, low - margin), high + margin
    line.valueAxis.labels.fontSize = 7
    line.valueAxis.labelTextFormat = lambda v: fmt.integer(int(v))
    _date_axis(line.categoryAxis, days, fmt)
    drawing.add(line)
    drawing.add(String(50, 4, f"— {texts['followers']}", fillColor=VOLUME_COLOUR, fontSize=8))
    return drawing
