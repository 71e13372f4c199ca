// The calendar: the brand's scheduled (and published) posts on two weeks of days, each at its
// time in the chosen account's time zone, whatever the browser's own zone is.
import { query } from "./client.js";
import { h } from "./dom.js";
import { POSTS, QUEUE, SOCIAL_ACCOUNTS } from "./graphql.js";
import { addDays, localDay, localTime } from "./zone.js";

const DAYS = 14;
const weekday = new Intl.DateTimeFormat("en-GB", { timeZone: "UTC", weekday: "short", day: "numeric", month: "short" });

function dayCell(day, entries) {
  return h("div", { class: "day", "data-day": day },
    h("h3", {}, weekday.format(new Date(`${day}T12:00:00Z`))),
    entries);
}

function entry(post, zone) {
  const at = new Date(post.scheduledAt);
  return h("div", { class: `entry ${post.status.toLowerCase()}`, "data-post": post.id },
    h("time", { datetime: post.scheduledAt }, localTime(zone, at)),
    h("span", { class: "networks" }, ` ${post.variants.map((v) => v.network).join(", ")} `),
    h("span", { class: "text" }, post.variants[0]?.text ?? ""));
}

export function calendarView(root, { brand, say }) {
  const picker = h("select", { id: "calendar-account", "aria-label": "Account" });
  const heading = h("p", { id: "calendar-zone", class: "muted" });
  const held = h("p", { id: "queue-held", class: "held", hidden: true });
  const grid = h("div", { id: "calendar", class: "calendar" });
  const later = h("ul", { id: "calendar-later", class: "later" });
  root.append(h("section", { class: "card wide" }, h("h1", {}, `Calendar of ${brand.displayName}`), held, picker, heading, grid, later));
  let accounts = [];
  let posts = [];

  function render() {
    const account = accounts.find((a) => a.id === picker.value);
    if (!account) return;
    const zone = account.timeZone;
    heading.textContent = `Times in ${zone}, the zone of ${account.handle}.`;
    const mine = posts.filter((p) => p.scheduledAt && p.socialAccountIds.includes(account.id))
      .sort((a, b) => Date.parse(a.scheduledAt) - Date.parse(b.scheduledAt));
    const today = localDay(zone, new Date());
    const days = Array.from({ length: DAYS }, (_, i) => addDays(today, i));
    grid.replaceChildren(...days.map((day) => dayCell(day,
      mine.filter((p) => localDay(zone, new Date(p.scheduledAt)) === day).map((p) => entry(p, zone)))));
    const beyond = mine.filter((p) => localDay(zone, new Date(p.scheduledAt)) > days.at(-1));
    later.replaceChildren(...beyond.map((p) => h("li", {}, `${localDay(zone, new Date(p.scheduledAt))} `, entry(p, zone))));
  }

  Promise.all([
    query(SOCIAL_ACCOUNTS, { brand: brand.id }),
    query(POSTS, { brand: brand.id, statuses: ["SCHEDULED", "PUBLISHED"] }),
    query(QUEUE, { id: `${brand.id}/queue` }),
  ]).then(([a, p, q]) => {
    held.hidden = !q.queue.held;
    held.textContent = `Publishing is held: ${q.queue.holdReason}. Scheduled posts wait until a manager releases the queue.`;
    accounts = a.brand.socialAccounts.nodes;
    posts = p.posts.nodes;
    picker.replaceChildren(...accounts.map((account) => h("option", { value: account.id }, `${account.network} ${account.handle}`)));
    if (!accounts.length) heading.textContent = "No social account yet.";
    render();
  }).catch((e) => say(e.message));
  picker.addEventListener("change", render);
  return () => {};
}
