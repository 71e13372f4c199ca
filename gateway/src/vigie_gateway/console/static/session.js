// The logged-in member's token, kept in session storage (this tab only, gone when it closes),
// and who to tell when it ends (logout, expiry, or a TOKEN_* refusal).
const KEY = "vigie.console.session";
const listeners = new Set();

function read() {
  try {
    return JSON.parse(sessionStorage.getItem(KEY) ?? "null");
  } catch {
    return null;
  }
}

export const session = {
  token() {
    const current = read();
    if (!current) return null;
    if (current.expiresAt && Date.parse(current.expiresAt) <= Date.now()) {
      this.end();
      return null;
    }
    return current.token;
  },
  member() {
    return read()?.member ?? null;
  },
  start(login) {
    sessionStorage.setItem(KEY, JSON.stringify({ token: login.token, expiresAt: login.expiresAt, member: login.member }));
  },
  end() {
    const had = read() !== null;
    sessionStorage.removeItem(KEY);
    if (had) for (const listener of listeners) listener();
  },
  onEnd(listener) {
    listeners.add(listener);
  },
};
