// A small classic W3C WebDriver client, for the engines Playwright cannot drive here: Firefox ESR
// (geckodriver), WebKitGTK (WebKitWebDriver with MiniBrowser, which has no headless mode and so
// runs under a virtual X display) and WPE WebKit (WPEWebDriver with cog, headless). Nothing speaks BiDi to WebKitWebDriver, so classic
// WebDriver is the one protocol both share. Used by engines.mjs (the small page API of the smoke
// and consumer tests) and pages.mjs (the Playwright-shaped API of the e2e tests).
//   const driver = await startDriver("firefox");
//   const session = await driver.newSession();   // a fresh profile
//   await session.command("POST", "/url", { url });
//   const value = await session.execute(async (arg) => ..., arg);  // arg and value: JSON
//   await driver.close();                          // every session, the driver and its browser
import { spawn } from "node:child_process";
import { freePort } from "./sim.mjs";

const DRIVERS = {
  firefox: {
    command: (port) => ["geckodriver", ["--host", "127.0.0.1", "--port", String(port)]],
    capabilities: { browserName: "firefox", "moz:firefoxOptions": { binary: "/usr/bin/firefox-esr", args: ["-headless"] } },
  },
  webkit: {
    // MiniBrowser has no headless mode: the driver and its browser get a virtual X display, large
    // enough for the widest window the tests ask for (xvfb-run's default screen is 640×480).
    command: (port) => [
      "xvfb-run",
      ["-a", "-s", "-screen 0 1600x1200x24", "/usr/bin/WebKitWebDriver", "--host=127.0.0.1", `--port=${port}`],
    ],
    capabilities: {
      browserName: "MiniBrowser",
      "webkitgtk:browserOptions": { binary: "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser", args: ["--automation"] },
    },
  },
  // WPE WebKit 2.38 (Debian's cog + wpewebkit-driver), a Safari-16-era engine. Not one of
  // engines(): the tests that want it ask for it. cog's headless platform needs no display.
  wpe: {
    command: (port) => ["/usr/bin/WPEWebDriver", ["--host=127.0.0.1", `--port=${port}`]],
    capabilities: { "wpe:browserOptions": { binary: "/usr/bin/cog", args: ["--automation", "--platform=headless"] } },
  },
};

/** The engines this client drives. */
export const WEBDRIVER_ENGINES = Object.keys(DRIVERS);

/** WebDriver's key codes for the keys the tests press (the spec's table, by Playwright's names). */
export const KEYS = {
  Backspace: "\uE003", Tab: "\uE004", Enter: "\uE007", Shift: "\uE008", Control: "\uE009", Alt: "\uE00A",
  Escape: "\uE00C", Space: "\uE00D", End: "\uE010", Home: "\uE011", ArrowLeft: "\uE012", ArrowUp: "\uE013",
  ArrowRight: "\uE014", ArrowDown: "\uE015", Delete: "\uE017", Meta: "\uE03D",
};

/** The element reference key of the spec: an element crosses the wire as { [ELEMENT]: id }. */
export const ELEMENT = "element-6066-11e4-a52e-4f735466cecf";

async function request(base, method, path, body, timeoutMs = 60000) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const answer = await response.json().catch(() => ({}));
  if (!response.ok || answer.value?.error) {
    const error = new Error(`WebDriver ${method} ${path}: ${answer.value?.error ?? response.status} ${answer.value?.message ?? ""}`);
    error.webdriverError = answer.value?.error;
    throw error;
  }
  return answer.value;
}

/** Starts the engine's WebDriver on a free port; resolves to `{ engine, newSession(), close() }`. */
export async function startDriver(engine) {
  const driver = DRIVERS[engine];
  if (!driver) throw new Error(`no WebDriver for ${engine} (known: ${WEBDRIVER_ENGINES.join(" ")})`);
  const port = await freePort();
  const [command, args] = driver.command(port);
  // Its own process group, ended as a whole: the browser and Xvfb go with the driver.
  const child = spawn(command, args, { detached: true, stdio: "ignore" });
  let failed = null; // a driver that cannot start (not installed) says so instead of timing out
  child.on("error", (error) => {
    failed = error;
  });
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
      if (failed) throw new Error(`${engine}: the WebDriver could not start: ${failed.message}`);
      if (waited > 20000) throw new Error(`${engine}: the WebDriver did not start`);
      await new Promise((r) => setTimeout(r, 100));
    }
  } catch (error) {
    stop();
    throw error;
  }
  const sessions = new Set();
  return {
    engine,
    async newSession() {
      const { sessionId } = await request(base, "POST", "/session", { capabilities: { alwaysMatch: driver.capabilities } });
      sessions.add(sessionId);
      const path = `/session/${sessionId}`;
      await request(base, "POST", `${path}/timeouts`, { script: 120000 });
      const command = (method, sub, body, timeoutMs) => request(base, method, `${path}${sub}`, body, timeoutMs);
      return {
        engine,
        command,
        /**
         * Runs `fn(arg)` in the page and resolves to its (awaited) result. A rejection or throw in
         * the page rejects here with the page's stack.
         */
        async execute(fn, arg) {
          const outcome = await command("POST", "/execute/async", {
            script: `const done = arguments[1];
              Promise.resolve().then(() => (${fn})(arguments[0]))
                .then((value) => done({ value: value === undefined ? null : value }),
                      (error) => done({ error: String(error?.stack ?? error) }));`,
            args: [arg === undefined ? null : arg],
          }, 125000); // past the script timeout (120 s), so the driver's own timeout answers first
          if (outcome?.error) throw new Error(`in the page: ${outcome.error}`);
          return outcome?.value;
        },
        async close() {
          sessions.delete(sessionId);
          await command("DELETE", "", undefined, 10000).catch(() => {});
        },
      };
    },
    async close() {
      await Promise.all([...sessions].map((id) => request(base, "DELETE", `/session/${id}`, undefined, 10000).catch(() => {})));
      stop();
    },
  };
}

/**
 * Installed in a page after each load: collects uncaught errors, unhandled rejections and
 * console.error calls into window.__pageProblems, as Playwright reports them for Chromium. The
 * first moments of a page, before this runs, are covered only by the tests' own waiting.
 */
export function watchProblems() {
  if (window.__pageProblems) return;
  window.__pageProblems = [];
  addEventListener("error", (event) => window.__pageProblems.push(String(event.message)));
  addEventListener("unhandledrejection", (event) => window.__pageProblems.push(String(event.reason?.message ?? event.reason)));
  const original = console.error;
  console.error = (...args) => {
    window.__pageProblems.push(args.map(String).join(" "));
    original.apply(console, args);
  };
}
