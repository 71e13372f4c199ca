// The composer: one text for the brand's chosen accounts, checked as you type by each of their
// networks (`validateText`: length by the network's own rules, and what else it refuses), then
// drafted with `createPost`; below it, the posts waiting for an approval step.
import { mutate, query } from "./client.js";
import { h, errorList } from "./dom.js";
import { CREATE_POST, SOCIAL_ACCOUNTS, VALIDATE_TEXT } from "./graphql.js";
import { approvalsList } from "./approvals.js";

const CHECK_AFTER_MS = 250;

/** A request id for idempotent creation: a retried click creates the draft once. */
function newRequestId() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

function verdictRow(network, verdict) {
  return h("div", { class: "network-check", "data-network": network, "data-valid": String(verdict.valid) },
    h("strong", {}, network),
    h("span", { class: verdict.valid ? "ok" : "bad" }, ` ${verdict.length} / ${verdict.limit}`),
    h("ul", { class: "problems" }, verdict.problems.map((p) => h("li", { "data-code": p.code }, `${p.code}: ${p.message}`))));
}

export function composerView(root, { brand, live, say }) {
  const accountsBox = h("fieldset", { id: "accounts" }, h("legend", {}, "Accounts"));
  const text = h("textarea", { id: "composer-text", rows: 5, placeholder: "What do you want to say?" });
  const preview = h("div", { id: "validation", class: "validation" });
  const result = h("div", { id: "composer-result" });
  const create = h("button", { id: "create-post", type: "submit", disabled: true }, "Create draft");
  const approvals = approvalsList(brand, live, say);
  root.append(h("div", { class: "composer" },
    h("form", { class: "card", onsubmit: (e) => { e.preventDefault(); save(); } },
      h("h1", {}, `Compose for ${brand.displayName}`), accountsBox, text, preview, create, result),
    approvals.element));

  let accounts = [];
  let requestId = newRequestId();
  let checking = null;
  let generation = 0;
  const chosen = () => accounts.filter((a) => accountsBox.querySelector(`input[value="${CSS.escape(a.id)}"]`)?.checked);
  const networks = () => [...new Set(chosen().map((a) => a.network))];

  async function check() {
    const mine = ++generation;
    const wanted = networks();
    if (!text.value || !wanted.length) {
      preview.replaceChildren();
      create.disabled = true;
      return;
    }
    try {
      const verdicts = await Promise.all(wanted.map((network) => query(VALIDATE_TEXT, { network, text: text.value })));
      if (mine !== generation) return; // a later keystroke's check is on its way
      preview.replaceChildren(...wanted.map((network, i) => verdictRow(network, verdicts[i].validateText)));
      create.disabled = !verdicts.every((v) => v.validateText.valid);
    } catch (error) {
      preview.replaceChildren(errorList(error.errors ?? [{ message: error.message }]));
    }
  }

  function checkSoon() {
    clearTimeout(checking);
    checking = setTimeout(check, CHECK_AFTER_MS);
  }

  async function save() {
    result.replaceChildren();
    const input = {
      brandId: brand.id, socialAccountIds: chosen().map((a) => a.id), requestId,
      variants: networks().map((network) => ({ network, text: text.value })),
    };
    try {
      const payload = await mutate(CREATE_POST, "createPost", input);
      if (payload.errors.length) return result.append(errorList(payload.errors));
      requestId = newRequestId();
      text.value = "";
      preview.replaceChildren();
      create.disabled = true;
      result.append(h("p", { class: "ok", "data-post": payload.post.id }, "Draft created: submit it for approval below."));
      approvals.reload();
    } catch (error) {
      result.append(errorList(error.errors ?? [{ message: error.message }]));
    }
  }

  text.addEventListener("input", checkSoon);
  query(SOCIAL_ACCOUNTS, { brand: brand.id }).then((data) => {
    accounts = data.brand.socialAccounts.nodes;
    accountsBox.append(...accounts.map((a) => h("label", { class: "account" },
      h("input", { type: "checkbox", value: a.id, checked: true, onchange: checkSoon }),
      ` ${a.network} ${a.handle} (${a.timeZone})`)));
    if (!accounts.length) accountsBox.append(h("p", { class: "muted" }, "Connect a social account first."));
    approvals.setAccounts(accounts);
  }).catch((e) => say(e.message));

  return () => {
    clearTimeout(checking);
    approvals.stop();
  };
}
