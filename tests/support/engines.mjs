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
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { chromium } from "playwright-core";
import { chromiumLaunchOptions } from "./sim.mjs";

/** The engines to run, from ENGINES (default all three). */
export function engines() {
  return (process.env.ENGINES ?? "chromium firefox webkit").split(/\s+/).filter(Boolean);
}

/** Launches one engine; resolves to `{ engine, newPage(), close() }`. */
export async function launch(engine) {
  if (engine === "chromium") return launchChromium();
  if (Object.hasOwn(DRIVERS, engine)) return launchWebDriver(engine);
  throw new Error(`unknown engine ${engine} (known: chromium ${Object.keys(DRIVERS).join(" ")})`);
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

// ---- Firefox and WebKit: classic WebDriver -----------------------------------------------------

const DRIVERS = {
  firefox: {
    command: () => ["geckodriver", ["--host", "127.0.0.1"]],
    port: (port) => ["--port", String(port)],
    capabilities: { browserName: "firefox", "moz:firefoxOptions": { binary: "/usr/bin/firefox-esr", args: ["-headless"] } },
  },
  webkit: {
    // MiniBrowser has no headless mode: the driver and its browser get a virtual X display.
    command: () => ["xvfb-run", ["-a", "/usr/bin/WebKitWebDriver", "--host=127.0.0.1"]],
    port: (port) => [`--port=${port}`],
    capabilities: {
      browserName: "MiniBrowser",
      "webkitgtk:browserOptions": { binary: "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser", args: ["--automation"] },
    },
  },
  // WPE WebKit 2.38 (Debian's cog + wpewebkit-driver), a Safari-16-era engine. Not one of
  // engines(): the tests that want it ask for it. cog's headless platform needs no display.
  wpe: {
    command: () => ["/usr/bin/WPEWebDriver", ["--host=127.0.0.1"]],
    port: (port) => [`--port=${port}`],
    capabilities: { "wpe:browserOptions": { binary: "/usr/bin/cog", args: ["--automation", "--platform=headless"] } },
  },
};

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function request(base, method, path, body, timeoutMs = 60000) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const answer = await response.json().catch(() => ({}));
  if (!response.ok || answer.value?.error) {
    throw new Error(`WebDriver ${method} ${path}: ${answer.value?.error ?? response.status} ${answer.value?.message ?? ""}`);
  }
  return answer.value;
}

async function launchWebDriver(engine) {
  const driver = DRIVERS[engine];
  const port = await freePort();
  const [command, args] = driver.command();
  // Its own process group, ended as a whole: the browser and Xvfb go with the driver.
  const child = spawn(command, [...args, ...driver.port(port)], { detached: true, stdio: "ignore" });
  const base = `http://127.0.0.1:${port}`;
  const stop = () => {
    try {
      process.kill(-child.pid, "SIGTERM");
    } catch {
      // Already gone.
    }
  };
  try {
    for (let waited = 0; ; waited += 100) {
      const ready = await request(base, "GET", "/status", undefined, 1000).then((v) => v.ready !== false, () => false);
      if (ready) break;
      if (waited > 20000) throw new Error(`${engine}: the WebDriver did not start`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const sessions = [];
    return {
      engine,
      async newPage() {
        // One session per page: a fresh profile, as Playwright's new context is.
        const { sessionId } = await request(base, "POST", "/session", { capabilities: { alwaysMatch: driver.capabilities } });
        sessions.push(sessionId);
        await request(base, "POST", `/session/${sessionId}/timeouts`, { script: 120000 });
        const session = `/session/${sessionId}`;
        const evaluate = (fn, arg) =>
          request(base, "POST", `${session}/execute/async`, {
            script: `const done = arguments[1];
              Promise.resolve().then(() => (${fn})(arguments[0]))
                .then((value) => done({ value: value === undefined ? null : value }), (error) => done({ error: String(error?.stack ?? error) }));`,
            args: [arg === undefined ? null : arg],
          }).then((outcome) => {
            if (outcome?.error) throw new Error(`in the page: ${outcome.error}`);
            return outcome?.value;
          });
        const seen = () =>
          evaluate(() => window.__pageProblems ?? []).catch((error) => [`the page could not be read: ${error.message}`]);
        // Uncaught errors and console.error, as Playwright reports them for Chromium. Installed
        // after each load, so the first moments of a page are covered by `waitFor` polling only.
        const watch = () =>
          evaluate(() => {
            if (window.__pageProblems) return;
            window.__pageProblems = [];
            addEventListener("error", (event) => window.__pageProblems.push(String(event.message)));
            addEventListener("unhandledrejection", (event) => window.__pageProblems.push(String(event.reason?.message ?? event.reason)));
            const original = console.error;
            console.error = (...args) => {
              window.__pageProblems.push(args.map(String).join(" "));
              original.apply(console, args);
            };
          });
        return {
          async goto(url) {
            await request(base, "POST", `${session}/url`, { url });
            await watch();
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
          problems: seen,
          close: () => request(base, "DELETE", session).catch(() => {}),
        };
      },
      async close() {
        await Promise.all(sessions.map((id) => request(base, "DELETE", `/session/${id}`, undefined, 10000).catch(() => {})));
        stop();
      },
    };
  } catch (error) {
    stop();
    throw error;
  }
}
