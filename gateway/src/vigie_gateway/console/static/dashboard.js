// The brand dashboard: the Reputation Index, 7 days of hourly sentiment, and the mention stream
// (the latest 20, then live: a captured mention appears at once, its sentiment when scored).
import { request } from "./client.js";
import { h, errorList } from "./dom.js";
import { DASHBOARD, MENTION_ADDED } from "./graphql.js";
import { sentimentChart } from "./chart.js";
import { session } from "./session.js";
import { localDay, localTime } from "./zone.js";

const WEEK_MS = 7 * 24 * 3600 * 1000;
const MAX_ROWS = 100;
const REFRESH_AFTER_SCORE_MS = 1500;
const RESUBSCRIBE_AFTER_MS = 1000;

function sentimentBadge(sentiment) {
  const label = sentiment?.label ?? "PENDING";
  return h("span", { class: `sentiment ${label.toLowerCase()}`, "data-label": label },
    sentiment ? label.toLowerCase() : "scoring…");
}

function mentionRow(mention, sentiment, zone) {
  const at = new Date(mention.publishedAt);
  return h("li", { class: "mention", "data-mention": mention.id },
    sentimentBadge(sentiment),
    h("span", { class: "author" }, mention.author.handle),
    h("time", { datetime: mention.publishedAt }, `${localDay(zone, at)} ${localTime(zone, at)}`),
    h("p", { class: "text" }, mention.text));
}

function indexCard(index) {
  if (!index) return [h("h2", {}, "Reputation Index"), h("p", { class: "muted" }, "No index yet.")];
  const delta = index.value - index.previousValue;
  return [
    h("h2", {}, "Reputation Index"),
    h("p", { class: "index" },
      h("span", { id: "index-value", class: "index-value" }, index.value.toFixed(1)),
      h("span", { class: delta >= 0 ? "delta up" : "delta down" }, `${delta >= 0 ? "+" : ""}${delta.toFixed(1)}`)),
    h("p", { class: "muted" }, index.summary),
  ];
}

export function dashboardView(root, { brand, live, say }) {
  const zone = brand.subsidiary.timeZone;
  const indexBox = h("section", { id: "index", class: "card" });
  const chartBox = h("section", { id: "chart", class: "card wide" });
  const stream = h("ol", { id: "mention-stream", class: "stream" });
  root.append(h("div", { class: "dashboard" },
    h("h1", {}, brand.displayName, h("span", { class: "muted" }, ` · ${brand.subsidiary.displayName} (${zone})`)),
    indexBox, chartBox,
    h("section", { class: "card wide" }, h("h2", {}, "Mentions, live"), stream)));
  const rows = new Map();
  const early = new Map(); // mentionId -> sentiment scored before its capture arrived
  let stopped = false;
  let stop = null;
  let refresh = null;

  function place(mention, sentiment, { newest }) {
    const row = mentionRow(mention, sentiment, zone);
    const before = rows.get(mention.id);
    if (before) before.replaceWith(row);
    else if (newest) stream.prepend(row);
    else stream.append(row);
    rows.set(mention.id, row);
    while (rows.size > MAX_ROWS) {
      const oldest = stream.lastElementChild;
      rows.delete(oldest.dataset.mention);
      oldest.remove();
    }
  }

  async function load({ withMentions }) {
    const end = new Date();
    const variables = { brand: brand.id, start: new Date(end - WEEK_MS).toISOString(), end: end.toISOString(), zone };
    const { data, errors } = await request(DASHBOARD, variables).catch((e) => ({ data: null, errors: e.errors ?? [{ message: e.message }] }));
    if (stopped) return;
    indexBox.replaceChildren(...indexCard(data?.reputationIndex));
    const points = data?.measures?.[0]?.points ?? [];
    chartBox.replaceChildren(h("h2", {}, "Sentiment, last 7 days (hourly)"),
      points.length ? sentimentChart(points, zone) : h("p", { class: "muted" }, "No mentions yet."));
    if (withMentions) {
      for (const m of data?.mentions?.nodes ?? []) if (!rows.has(m.id)) place(m, m.sentiment, { newest: false });
    }
    if (errors.length) indexBox.append(errorList(errors));
  }

  function refreshSoon() {
    clearTimeout(refresh);
    refresh = setTimeout(() => load({ withMentions: false }), REFRESH_AFTER_SCORE_MS);
  }

  function onEvent(result) {
    if (result.errors?.length) return ended(result.errors[0].extensions?.code ?? result.errors[0].message);
    const event = result.data.mentionAdded;
    if (event.change === "CAPTURED" && event.mention && !rows.has(event.mentionId)) {
      place(event.mention, early.get(event.mentionId) ?? null, { newest: true });
      early.delete(event.mentionId);
    } else if (event.change === "SCORED") {
      // Two producers' streams: a score may arrive before its capture; keep it until then.
      const row = rows.get(event.mentionId);
      if (row) row.querySelector(".sentiment").replaceWith(sentimentBadge(event.sentiment));
      else early.set(event.mentionId, event.sentiment);
      if (early.size > MAX_ROWS) early.delete(early.keys().next().value);
      refreshSoon();
    }
  }

  // The gateway ends a subscription that fell behind (SLOW_CONSUMER) or whose token expired:
  // log in again for the latter; otherwise subscribe again and read afresh (no replay).
  function ended(code) {
    stop = null;
    if (code === "TOKEN_EXPIRED") return session.end();
    say(`Mention stream ended (${code}); following again.`);
    rows.clear();
    early.clear();
    stream.replaceChildren();
    setTimeout(() => { if (!stopped) follow(); }, RESUBSCRIBE_AFTER_MS);
  }

  function follow() {
    live.subscribe(MENTION_ADDED, { brand: brand.id }, {
      next: onEvent,
      error: (errors) => say(`Mention stream refused: ${errors[0]?.extensions?.code ?? errors[0]?.message}`),
    }).then((unsubscribe) => {
      if (stopped) unsubscribe();
      else stop = unsubscribe;
      return load({ withMentions: true }); // after subscribing: nothing falls in between
    }).catch((e) => say(e.message));
  }

  follow();
  return () => {
    stopped = true;
    clearTimeout(refresh);
    stop?.();
  };
}
