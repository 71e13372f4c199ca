// The posts of a brand that wait for someone: drafts to submit, submitted posts to approve or
// reject (with a reason), approved posts to schedule at a time of their account's zone.
// Kept fresh by `postStatusChanged`.
import { mutate, query } from "./client.js";
import { h, errorList } from "./dom.js";
import {
  APPROVE_POST, POSTS, POST_STATUS_CHANGED, POST_TRAIL, REJECT_POST, SCHEDULE_POST, SUBMIT_POST,
} from "./graphql.js";
import { session } from "./session.js";
import { addDays, instantOf, localDay } from "./zone.js";

const WAITING = ["DRAFT", "SUBMITTED", "APPROVED"];
const actorName = (actor) => (actor === session.member()?.id ? "you" : `member ${actor.split("/").at(-1)}`);

export function approvalsList(brand, live, say) {
  const list = h("ul", { id: "posts", class: "posts" });
  const element = h("section", { class: "card" }, h("h2", {}, "Waiting for a step"), list);
  let accounts = [];
  const trails = new Map(); // post id -> the trail a mutation answered (lists carry none)
  let stopped = false;
  let stop = null;

  const zoneOf = (post) => accounts.find((a) => a.id === post.socialAccountIds[0])?.timeZone ?? brand.subsidiary.timeZone;

  async function act(row, document, field, input) {
    row.querySelector(".row-errors").replaceChildren();
    try {
      const payload = await mutate(document, field, input);
      if (payload.errors.length) return row.querySelector(".row-errors").append(errorList(payload.errors));
      trails.set(payload.post.id, payload.post.approvalTrail);
      await reload();
    } catch (error) {
      row.querySelector(".row-errors").append(errorList(error.errors ?? [{ message: error.message }]));
    }
  }

  function actions(post, row) {
    if (post.status === "DRAFT") {
      return [h("button", { class: "submit", type: "button", onclick: () => act(row, SUBMIT_POST, "submitPost", { id: post.id }) }, "Submit for approval")];
    }
    if (post.status === "SUBMITTED") {
      const reason = h("input", { class: "reject-comment", placeholder: "Why (to reject)" });
      return [
        h("button", { class: "approve", type: "button", onclick: () => act(row, APPROVE_POST, "approvePost", { id: post.id }) }, "Approve"),
        reason,
        h("button", { class: "reject", type: "button", onclick: () => act(row, REJECT_POST, "rejectPost", { id: post.id, comment: reason.value }) }, "Reject"),
      ];
    }
    if (post.status === "APPROVED") {
      const zone = zoneOf(post);
      const at = h("input", { class: "schedule-at", type: "datetime-local", value: `${addDays(localDay(zone, new Date()), 1)}T09:00` });
      return [
        at, h("span", { class: "muted" }, ` ${zone} `),
        h("button", { class: "schedule", type: "button", onclick: () => act(row, SCHEDULE_POST, "schedulePost", { id: post.id, at: instantOf(zone, at.value).toISOString() }) }, "Schedule"),
      ];
    }
    return [];
  }

  function postRow(post) {
    const row = h("li", { class: "post", "data-post": post.id, "data-status": post.status, "data-etag": post.etag },
      h("span", { class: `status ${post.status.toLowerCase()}` }, post.status.toLowerCase()),
      h("span", { class: "networks" }, post.variants.map((v) => v.network).join(", ")),
      h("p", { class: "text" }, post.variants[0]?.text ?? ""));
    const trail = h("ol", { class: "trail" });
    showTrail(trail, post.approvalTrail.length ? post.approvalTrail : trails.get(post.id) ?? []);
    const history = h("button", { class: "history", type: "button", onclick: async () => {
      try {
        showTrail(trail, (await query(POST_TRAIL, { id: post.id })).post.approvalTrail);
      } catch (error) {
        row.querySelector(".row-errors").append(errorList(error.errors ?? [{ message: error.message }]));
      }
    } }, "History");
    row.append(trail, h("div", { class: "actions" }, actions(post, row), history), h("div", { class: "row-errors" }));
    return row;
  }

  function showTrail(list, steps) {
    list.replaceChildren(...steps.map((step) => h("li", { "data-action": step.action },
      `${step.action.toLowerCase()} by ${actorName(step.actor)}${step.comment ? `: ${step.comment}` : ""}`)));
  }

  async function reload() {
    try {
      const data = await query(POSTS, { brand: brand.id, statuses: WAITING });
      if (stopped) return;
      const posts = data.posts.nodes;
      // A post that did not change keeps its row, and what was being typed in it.
      const shown = new Map([...list.querySelectorAll("li.post")].map((li) => [li.dataset.post, li]));
      list.replaceChildren(...posts.map((post) => {
        const row = shown.get(post.id);
        return row?.dataset.etag === post.etag ? row : postRow(post);
      }));
      if (!posts.length) list.append(h("li", { class: "muted" }, "Nothing waits."));
    } catch (error) {
      say(error.message);
    }
  }

  live.subscribe(POST_STATUS_CHANGED, { brand: brand.id }, { next: () => reload() })
    .then((unsubscribe) => { if (stopped) unsubscribe(); else stop = unsubscribe; })
    .catch((e) => say(e.message));

  return {
    element,
    reload,
    setAccounts(found) {
      accounts = found;
      reload();
    },
    stop() {
      stopped = true;
      stop?.();
    },
  };
}
