// The panel's balance call as a careful user of fetch writes it by hand: the baseline of the
// cold-start rows against a plain-JS client (bench/README.md), not a product. The same module
// runs in a page and in Node >= 20 (fetch and AbortController are global there too).

/** A failed call: `code` says how it failed, `status` is the HTTP status when there was one. */
export class PlainClientError extends Error {
  constructor(code, message, status) {
    super(message);
    this.name = "PlainClientError";
    this.code = code;
    this.status = status;
  }
}

export class PlainClient {
  #apiUrl;
  #key;
  #timeoutMs;

  constructor({ apiUrl, key, timeoutMs = 30_000 } = {}) {
    if (typeof apiUrl !== "string" || apiUrl === "") throw new TypeError("apiUrl must be the panel's API URL");
    if (typeof key !== "string" || key === "") throw new TypeError("key must be the panel's API key");
    this.#apiUrl = apiUrl;
    this.#key = key;
    this.#timeoutMs = timeoutMs;
  }

  /** The account's balance and currency as the panel wrote them: strings, so money stays exact. */
  async balance() {
    const answer = await this.#call("balance");
    if (answer.balance == null) throw new PlainClientError("decode", "the answer has no balance");
    return { balance: String(answer.balance), currency: String(answer.currency ?? "") };
  }

  /** One form POST; resolves to the answer's JSON object, or throws a PlainClientError. */
  async #call(action) {
    const controller = new AbortController();
    // The timer covers reading the body too: a panel can stall after its headers.
    const timer = setTimeout(() => controller.abort(), this.#timeoutMs);
    try {
      let res;
      let text;
      try {
        res = await fetch(this.#apiUrl, {
          method: "POST",
          // The only header: a form body keeps the request a CORS "simple request" (no preflight).
          headers: { "content-type": "application/x-www-form-urlencoded" },
          body: new URLSearchParams({ key: this.#key, action }).toString(),
          // The key travels in the body: a redirect followed to another host would hand it over.
          redirect: "manual",
          signal: controller.signal,
        });
        text = await res.text();
      } catch (error) {
        throw controller.signal.aborted
          ? new PlainClientError("timeout", `no answer within ${this.#timeoutMs} ms`)
          : new PlainClientError("network", `the request failed: ${error?.message ?? error}`);
      }
      // A browser hides a refused redirect behind an "opaqueredirect" response of status 0;
      // Node hands over the 3xx itself.
      if (res.type === "opaqueredirect" || (res.status >= 300 && res.status < 400)) {
        throw new PlainClientError("redirect", "the panel answered with a redirect, which is not followed", res.status || undefined);
      }
      let body;
      try {
        body = JSON.parse(text);
      } catch {
        body = undefined;
      }
      // Panels put `error` in 200 answers as often as in 4xx ones: their message says more than
      // the status, so it comes first.
      if (body?.error != null) throw new PlainClientError("panel", String(body.error), res.status);
      if (!res.ok) throw new PlainClientError("http", `the panel answered HTTP ${res.status}`, res.status);
      if (body === null || typeof body !== "object" || Array.isArray(body)) {
        throw new PlainClientError("decode", "the answer is not a JSON object", res.status);
      }
      return body;
    } finally {
      clearTimeout(timer);
    }
  }
}
