// The banner above every view: the caller's open crises, read once, then kept live by the
// `crisisChanged` subscription (opened and escalated ones show, resolved ones leave).
import { request } from "./client.js";
import { h } from "./dom.js";
import { CRISIS_CHANGED, OPEN_CRISES } from "./graphql.js";
import { session } from "./session.js";

export class CrisisBanner {
  #element;
  #open = new Map();
  #brands = [];

  constructor(element) {
    this.#element = element;
  }

  async watch(live, brands) {
    this.#brands = brands;
    this.#open.clear(); // read afresh below: a crisis resolved while away must not stay
    // Subscribe first, then read: a crisis opened in between is not missed.
    await live.subscribe(CRISIS_CHANGED, {}, {
      next: (result) => {
        const code = result.errors?.[0]?.extensions?.code;
        if (code === "TOKEN_EXPIRED") return session.end();
        if (code) return setTimeout(() => this.watch(live, brands), 1000); // SLOW_CONSUMER: again
        const event = result.data?.crisisChanged;
        if (!event) return;
        if (event.change === "RESOLVED") this.#open.delete(event.crisis.id);
        else this.#open.set(event.crisis.id, event.crisis);
        this.#render();
      },
    }).catch(() => {});
    const { data } = await request(OPEN_CRISES).catch(() => ({ data: null }));
    for (const crisis of data?.crises?.nodes ?? []) {
      if (!this.#open.has(crisis.id)) this.#open.set(crisis.id, crisis);
    }
    this.#render();
  }

  clear() {
    this.#open.clear();
    this.#render();
  }

  #render() {
    const name = (id) => this.#brands.find((b) => b.id === id)?.displayName ?? id;
    this.#element.replaceChildren(...[...this.#open.values()].map((crisis) =>
      h("div", { class: `crisis severity-${crisis.severity.toLowerCase()}`, "data-crisis": crisis.id, "data-status": crisis.status },
        h("strong", {}, `Crisis ${crisis.status.toLowerCase()}`),
        ` — ${name(crisis.brandId)}: ${crisis.summary || crisis.signal}`,
        h("span", { class: "muted" }, ` (severity ${crisis.severity.toLowerCase()}, ${Math.round(crisis.observed)} observed against ${crisis.baseline.toFixed(1)} expected)`))));
    this.#element.hidden = this.#open.size === 0;
  }
}
