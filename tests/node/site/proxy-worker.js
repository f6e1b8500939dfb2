// A Worker-style runtime: no window, only the Fetch API globals. The proxy handler runs here on a
// Request made in the worker and answers a Response.
import { createProxy } from "./pkg/proxy.js";

onmessage = async ({ data: { apiUrl, key } }) => {
  try {
    const handle = createProxy({ apiUrl, key });
    const ask = (body) => handle(new Request("https://shop.example/api/smm", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body,
    }));
    const balance = await ask("action=balance");
    const add = await ask("action=add&service=101&link=https%3A%2F%2Fx&quantity=100");
    postMessage({
      isWorker: typeof window === "undefined",
      balance: { status: balance.status, type: balance.headers.get("content-type"), body: await balance.text() },
      add: { status: add.status, body: await add.text() },
    });
  } catch (error) {
    postMessage({ error: String(error && error.stack || error) });
  }
};

// The package's top-level await has run by now: say so, or a message sent earlier could be lost.
postMessage({ ready: true });
