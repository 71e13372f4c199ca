// The sentiment chart: hourly mention volume as bars, net sentiment ((positive - negative) /
// volume, from -1 to 1) as a line through the hours that had mentions. Plain SVG, no library.
import { svg } from "./dom.js";
import { localTime, localDay } from "./zone.js";

const WIDTH = 720;
const HEIGHT = 220;
const PAD = { left: 36, right: 12, top: 12, bottom: 28 };

export function sentimentChart(points, zone) {
  const plotWidth = WIDTH - PAD.left - PAD.right;
  const plotHeight = HEIGHT - PAD.top - PAD.bottom;
  const times = points.map((p) => Date.parse(p.start));
  const first = Math.min(...times);
  const last = Math.max(...times, first + 1);
  const x = (t) => PAD.left + ((t - first) / (last - first)) * plotWidth;
  const y = (net) => PAD.top + ((1 - net) / 2) * plotHeight;
  const maxVolume = Math.max(1, ...points.map((p) => p.volume));
  const barWidth = Math.max(1, plotWidth / Math.max(points.length, 1) - 1);
  const heard = points.filter((p) => p.volume > 0);

  const chart = svg("svg", {
    class: "sentiment-chart", viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: "img",
    "aria-label": `Net sentiment over ${points.length} hours, ${heard.length} with mentions`,
  });
  for (const [net, label] of [[1, "+1"], [0, "0"], [-1, "-1"]]) {
    chart.append(
      svg("line", { class: net === 0 ? "axis zero" : "axis", x1: PAD.left, x2: WIDTH - PAD.right, y1: y(net), y2: y(net) }),
      svg("text", { class: "tick", x: PAD.left - 6, y: y(net) + 4, "text-anchor": "end" }, label),
    );
  }
  for (const p of heard) {
    const height = (p.volume / maxVolume) * plotHeight * 0.5;
    chart.append(svg("rect", {
      class: "volume", x: x(Date.parse(p.start)) - barWidth / 2, y: PAD.top + plotHeight - height,
      width: barWidth, height,
    }));
  }
  if (heard.length > 1) {
    const path = heard.map((p) => `${x(Date.parse(p.start)).toFixed(1)},${y(p.netSentiment).toFixed(1)}`);
    chart.append(svg("polyline", { class: "net", points: path.join(" ") }));
  }
  for (const p of heard) {
    chart.append(svg("circle", {
      class: "point", cx: x(Date.parse(p.start)), cy: y(p.netSentiment), r: 3,
      "data-volume": p.volume, "data-net": p.netSentiment,
    }, svg("title", {}, `${localDay(zone, new Date(p.start))} ${localTime(zone, new Date(p.start))}: ` +
      `${p.volume} mentions (${p.positive} +, ${p.neutral} =, ${p.negative} -)`)));
  }
  if (points.length) {
    for (const t of [first, last]) {
      chart.append(svg("text", { class: "tick", x: x(t), y: HEIGHT - 8, "text-anchor": t === first ? "start" : "end" },
        `${localDay(zone, new Date(t)).slice(5)} ${localTime(zone, new Date(t))}`));
    }
  }
  return chart;
}
