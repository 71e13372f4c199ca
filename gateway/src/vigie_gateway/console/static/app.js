// The console's shell: log in, pick a brand, switch views (#/dashboard, #/composer,
// #/calendar), keep one live connection and the crisis banner above every view.
import { query } from "./client.js";
import { h } from "./dom.js";
import { BRANDS } from "./graphql.js";
import { LiveConnection } from "./live.js";
import { session } from "./session.js";
import { CrisisBanner } from "./crisis_banner.js";
import { loginView } from "./login.js";
import { dashboardView } from "./dashboard.js";
import { composerView } from "./composer.js";
import { calendarView } from "./calendar.js";

const VIEWS = { dashboard: dashboardView, composer: composerView, calendar: calendarView };
const BRAND_KEY = "vigie.console.brand";
const main = document.getElementById("main");
const nav = document.getElementById("nav");
const banner = new CrisisBanner(document.getElementById("crisis-banner"));
const shell = { brands: [], live: null, unmount: null };

export function say(text) {
  document.getElementById("status").textContent = text;
}

function unmountView() {
  shell.unmount?.();
  shell.unmount = null;
}

function connect() {
  const live = new LiveConnection(session.token(), {
    onClosed(event) {
      if (shell.live !== live) return; // closed on purpose
      if (event.code === 4403) return session.end();
      say("Live updates interrupted; reconnecting…");
      setTimeout(() => { if (shell.live === live && session.token()) reconnect(); }, 2000);
    },
  });
  shell.live = live;
  banner.watch(live, shell.brands);
}

function reconnect() {
  connect();
  route(); // events are live only: the views refetch and subscribe again
  say("");
}

function currentBrand() {
  const chosen = sessionStorage.getItem(BRAND_KEY);
  return shell.brands.find((b) => b.id === chosen) ?? shell.brands[0];
}

function renderNav() {
  const brand = currentBrand();
  const select = h("select", { id: "brand", "aria-label": "Brand", onchange: (e) => {
    sessionStorage.setItem(BRAND_KEY, e.target.value);
    route();
  } }, shell.brands.map((b) => h("option", { value: b.id, selected: b.id === brand?.id }, b.displayName)));
  nav.replaceChildren(
    select,
    ...Object.keys(VIEWS).map((name) => h("a", { href: `#/${name}`, "data-view": name }, name[0].toUpperCase() + name.slice(1))),
    h("span", { class: "who" }, session.member()?.email ?? ""),
    h("button", { id: "logout", type: "button", onclick: () => session.end() }, "Sign out"),
  );
  nav.hidden = false;
}

function route() {
  unmountView();
  const name = location.hash.replace(/^#\//, "") || "dashboard";
  const view = VIEWS[name] ?? dashboardView;
  for (const link of nav.querySelectorAll("a")) link.classList.toggle("active", link.dataset.view === name);
  main.replaceChildren();
  const brand = currentBrand();
  if (!brand) {
    main.append(h("p", { class: "muted" }, "No brand is visible to you yet."));
    return;
  }
  shell.unmount = view(main, { brand, live: shell.live, say });
}

async function start() {
  try {
    shell.brands = (await query(BRANDS)).brands.nodes;
  } catch (error) {
    say(error.message);
    return;
  }
  connect();
  renderNav();
  route();
}

function showLogin() {
  unmountView();
  const live = shell.live;
  shell.live = null;
  live?.close();
  banner.clear();
  nav.hidden = true;
  main.replaceChildren(loginView(start));
}

session.onEnd(showLogin);
window.addEventListener("hashchange", () => { if (shell.live) route(); });
if (session.token()) start();
else showLogin();
