// The login form: `login(input)` answers a token, or errors (INVALID_CREDENTIALS) to show.
import { mutate } from "./client.js";
import { h, errorList } from "./dom.js";
import { LOGIN } from "./graphql.js";
import { session } from "./session.js";

export function loginView(onLoggedIn) {
  const email = h("input", { id: "email", type: "email", autocomplete: "username", required: true });
  const password = h("input", { id: "password", type: "password", autocomplete: "current-password", required: true });
  const problems = h("div", { id: "login-errors" });
  const form = h("form", { id: "login", class: "card login", onsubmit: async (event) => {
    event.preventDefault();
    problems.replaceChildren();
    try {
      const payload = await mutate(LOGIN, "login", { email: email.value, password: password.value });
      if (payload.errors.length) return problems.append(errorList(payload.errors));
      session.start(payload);
      onLoggedIn();
    } catch (error) {
      problems.append(errorList(error.errors ?? [{ message: error.message }]));
    }
  } },
  h("h1", {}, "Sign in"),
  h("label", {}, "E-mail", email),
  h("label", {}, "Password", password),
  h("button", { id: "login-button", type: "submit" }, "Sign in"),
  problems);
  return form;
}
