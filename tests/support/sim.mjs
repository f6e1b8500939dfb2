// Shared by the JS test suites: where the simulator is, and how to drive it and Chromium.
import { randomUUID } from "node:crypto";
import { createServer } from "node:net";

export function simOrigin() {
  const url = process.env.SMM_SIM_URL;
  if (!url) throw new Error("SMM_SIM_URL is not set: run the tests through scripts/test.sh");
  return new URL(url).origin;
}

/** A call to the simulator's control API (the one at SMM_SIM_URL unless `origin` names another). */
export async function simControl(method, path, body, origin = simOrigin()) {
  const res = await fetch(`${origin}/__sim/${path}`, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} /__sim/${path}: HTTP ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

/** A fresh account with its own key, so suites running side by side never share state. */
export async function createAccount(balance) {
  const key = `test-${randomUUID()}`;
  await simControl("POST", "accounts", { key, balance });
  return key;
}

/** Debian's Chromium, as root, offline: never a downloaded browser. */
export function chromiumLaunchOptions() {
  return {
    executablePath: "/usr/bin/chromium",
    headless: true,
    args: [
      "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ],
  };
}

/** A 127.0.0.1 port that was free a moment ago (bound, then released): for a server to start on,
 * or, left alone, one nothing listens on (calls to it fail as a network error). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * A 127.0.0.1 port nothing listens on, for calls that must fail to connect. Outside Linux's
 * ephemeral range (32768–60999), which `listen(0)` draws from: a server started meanwhile by this
 * run or anything else on the machine cannot land on it, as it could on a port just released.
 */
export async function closedPort() {
  for (;;) {
    const port = 20000 + Math.floor(Math.random() * 10000);
    const free = await new Promise((resolve) => {
      const server = createServer();
      server.on("error", () => resolve(false));
      server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
    });
    if (free) return port;
  }
}
