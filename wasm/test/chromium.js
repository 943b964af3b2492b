// Shared by the Chromium tests (wasm/demo/e2e.test.js, wasm/test/apps/
// apps.test.js): Debian's /usr/bin/chromium driven through npm's
// playwright-core (never a downloaded browser), and a page watcher that
// records every console error or warning, page error, failed request and
// HTTP error, so that each test can assert there were none.
import { createRequire } from "node:module";

// Where playwright-core is installed (each suite passes its node_modules).
export async function launchChromium(nodeModules) {
  const { chromium } = createRequire(`${nodeModules}/`)("playwright-core");
  return chromium.launch({
    executablePath: process.env.GAUSSREG_CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
  });
}

// Pushes onto problems a line for everything on page that went wrong;
// onResponse (optional) sees every response too.
export function watchProblems(page, problems, onResponse = undefined) {
  page.on("console", (m) => {
    if (m.type() === "error" || m.type() === "warning") problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("requestfailed", (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
  page.on("response", (r) => {
    if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`);
    onResponse?.(r);
  });
  return problems;
}
