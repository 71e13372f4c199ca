// A headless Chromium page driven from a Python test, one JSON command per stdin line:
// {"id": 1, "op": "goto", "url": "..."} -> {"id": 1, "ok": true, "value": ...} on stdout.
// Console errors, page errors and CSP violations are kept and returned by the "problems" op.
// Argument: a JSON object {executablePath, timezoneId}.
import { createInterface } from "node:readline";
import { chromium } from "playwright-core";

const options = JSON.parse(process.argv[2]);
const browser = await chromium.launch({
  executablePath: options.executablePath,
  // Chromium's sandbox cannot start as root (CI containers): only then is it turned off.
  args: process.getuid?.() === 0 ? ["--no-sandbox"] : [],
});
const context = await browser.newContext({ timezoneId: options.timezoneId, viewport: { width: 1200, height: 900 } });
const page = await context.newPage();
const problems = [];
page.on("console", (message) => { if (message.type() === "error") problems.push(message.text()); });
page.on("pageerror", (error) => problems.push(String(error)));
const TIMEOUT = 60_000; // generous for a cold start; tests never assert on durations

const ops = {
  goto: ({ url }) => page.goto(url).then((r) => ({ status: r.status(), headers: r.headers() })),
  fill: ({ selector, value }) => page.fill(selector, value, { timeout: TIMEOUT }),
  click: ({ selector }) => page.click(selector, { timeout: TIMEOUT }),
  select: ({ selector, value }) => page.selectOption(selector, value, { timeout: TIMEOUT }),
  wait: ({ selector, text }) =>
    page.locator(selector).filter(text ? { hasText: text } : {}).first().waitFor({ timeout: TIMEOUT }),
  gone: ({ selector }) => page.locator(selector).first().waitFor({ state: "detached", timeout: TIMEOUT }),
  text: ({ selector }) => page.locator(selector).first().innerText({ timeout: TIMEOUT }),
  texts: ({ selector }) => page.locator(selector).allInnerTexts(),
  attribute: ({ selector, name }) => page.locator(selector).first().getAttribute(name, { timeout: TIMEOUT }),
  count: ({ selector }) => page.locator(selector).count(),
  url: () => page.url(),
  screenshot: ({ path }) => page.screenshot({ path, fullPage: true }).then(() => path),
  problems: () => problems,
};

const say = (line) => process.stdout.write(JSON.stringify(line) + "\n");
say({ ready: true });
for await (const line of createInterface({ input: process.stdin })) {
  const command = JSON.parse(line);
  try {
    const value = await ops[command.op](command);
    say({ id: command.id, ok: true, value: value ?? null });
  } catch (error) {
    say({ id: command.id, ok: false, error: String(error.message ?? error) });
  }
}
await browser.close();
