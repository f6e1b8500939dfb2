// One small page API over the three browser engines, so that a browser test is written once and
// runs in each engine of ENGINES: Chromium through Playwright (playwright-core, Debian's
// chromium), Firefox ESR and WebKitGTK through classic W3C WebDriver (geckodriver and
// WebKitWebDriver; Playwright cannot drive stock Firefox and nothing speaks BiDi to
// WebKitWebDriver). Everything a test needs from a page is here and nothing more:
//   const browser = await launch("firefox");
//   const page = await browser.newPage();
//   await page.goto(url); await page.waitFor(() => window.ready, 15000);
//   const value = await page.evaluate(async (arg) => ..., arg);  // arg and value: JSON
//   await page.problems()   // uncaught errors and console.error calls seen in the page
//   await browser.close();
import { chromium } from "playwright-core";
import { chromiumLaunchOptions } from "./sim.mjs";
import { WEBDRIVER_ENGINES, startDriver, watchProblems } from "./webdriver.mjs";

/** The engines to run, from ENGINES (default all three). */
export function engines() {
  return (process.env.ENGINES ?? "chromium firefox webkit").split(/\s+/).filter(Boolean);
}

/** Launches one engine; resolves to `{ engine, newPage(), close() }`. */
export async function launch(engine) {
  if (engine === "chromium") return launchChromium();
  if (WEBDRIVER_ENGINES.includes(engine)) return launchWebDriver(engine);
  throw new Error(`unknown engine ${engine} (known: chromium ${WEBDRIVER_ENGINES.join(" ")})`);
}

// ---- Chromium: Playwright ---------------------------------------------------------------------

async function launchChromium() {
  const browser = await chromium.launch(chromiumLaunchOptions());
  return {
    engine: "chromium",
    async newPage() {
      const context = await browser.newContext();
      const page = await context.newPage();
      const problems = [];
      page.on("pageerror", (error) => problems.push(error.message));
      page.on("console", (message) => message.type() === "error" && problems.push(message.text()));
      return {
        goto: (url) => page.goto(url).then(() => undefined),
        waitFor: (predicate, timeoutMs) => page.waitForFunction(predicate, null, { timeout: timeoutMs }).then(() => undefined),
        evaluate: (fn, arg) => page.evaluate(fn, arg),
        problems: async () => [...problems],
        close: () => context.close(),
      };
    },
    close: () => browser.close(),
  };
}

// ---- Firefox and WebKit: classic WebDriver (webdriver.mjs) ------------------------------------

async function launchWebDriver(engine) {
  const driver = await startDriver(engine);
  return {
    engine,
    async newPage() {
      // One session per page: a fresh profile, as Playwright's new context is.
      const session = await driver.newSession();
      const evaluate = (fn, arg) => session.execute(fn, arg);
      return {
        async goto(url) {
          await session.command("POST", "/url", { url });
          await evaluate(watchProblems);
        },
        async waitFor(predicate, timeoutMs) {
          const deadline = Date.now() + timeoutMs;
          for (;;) {
            if (await evaluate(predicate).catch(() => false)) return;
            if (Date.now() > deadline) throw new Error(`${engine}: timed out after ${timeoutMs} ms waiting for ${predicate}`);
            await new Promise((r) => setTimeout(r, 100));
          }
        },
        evaluate,
        problems: () => evaluate(() => window.__pageProblems ?? []).catch((error) => [`the page could not be read: ${error.message}`]),
        close: () => session.close(),
      };
    },
    close: () => driver.close(),
  };
}
