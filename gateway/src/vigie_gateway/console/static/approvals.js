// The posts of a brand that wait for someone: drafts to submit, submitted posts to approve or
// reject (with a reason), approved posts to schedule at a time of their account's zone.
// Kept fresh by `postStatusChanged`.
import { mutate, query } from "./client.js";
import { h, errorList } from "./dom.js";
import { APPROVE_POST, POSTS, POST_STATUS_CHANGED, REJECT_POST, SCHEDULE_POST, SUBMIT_POST } from "./graphql.js";
import { addDays, instantOf, localDay } from "./zone.js";

const WAITING = ["DRAFT", "SUBMITTED", "APPROVED"];

export function approvalsList(brand, live, say) {
  const list = h("ul", { id: "posts", class: "posts" });
  const element = h("section", { class: "card" }, h("h2", {}, "Waiting for a step"), list);
  let accounts = [];
  let stopped = false;
  let stop = null;

  const zoneOf = (post) => accounts.find((a) => a.id === post.socialAccountIds[0])?.timeZone ?? brand.subsidiary.timeZone;

  async function act(row, document, field, input) {
    row.querySelector(".row-errors").replaceChildren();
    try {
      const payload = await mutate(document, field, input);
      if (payload.errors.length) return row.querySelector(".row-errors").append(errorList(payload.errors));
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
    const row = h("li", { class: "post", "data-post": post.id, "data-status": post.status },
      h("span", { class: `status ${post.status.toLowerCase()}` }, post.status.toLowerCase()),
      h("span", { class: "networks" }, post.variants.map((v) => v.network).join(", ")),
      h("p", { class: "text" }, post.variants[0]?.text ?? ""));
    const last = post.approvalTrail.at(-1);
    if (last) row.append(h("p", { class: "muted" }, `${last.action.toLowerCase()}${last.comment ? `: ${last.comment}` : ""}`));
    row.append(h("div", { class: "actions" }, actions(post, row)), h("div", { class: "row-errors" }));
    return row;
  }

  async function reload() {
    try {
      const data = await query(POSTS, { brand: brand.id, statuses: WAITING });
      if (stopped) return;
      const posts = data.posts.nodes;
      list.replaceChildren(...posts.map(postRow));
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
