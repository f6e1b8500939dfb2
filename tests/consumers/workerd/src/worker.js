// A Worker with both halves of the SDK: at /api/v2 the proxy (createProxy, adding SMM_PROXY_KEY
// and forwarding to the panel at SMM_API_URL), at /self the client making its own calls with
// SMM_KEY, answered as JSON.
import { SmmClient, SmmError, validateOrder } from "smm-panel-sdk";
import { createProxy } from "smm-panel-sdk/proxy";
import { exercise } from "../../shared/exercise.js";

// The bindings arrive with the first request; the proxy is made once, then kept.
let proxy;

export default {
  async fetch(request, env) {
    const { pathname } = new URL(request.url);
    if (pathname === "/api/v2") {
      proxy ??= createProxy({ apiUrl: env.SMM_API_URL, key: env.SMM_PROXY_KEY });
      return proxy(request);
    }
    if (pathname === "/self") {
      try {
        const result = await exercise({ SmmClient, SmmError, validateOrder }, { apiUrl: env.SMM_API_URL, key: env.SMM_KEY });
        return Response.json({ ok: true, result });
      } catch (error) {
        return Response.json({ ok: false, error: `${error?.name}: ${error?.message} (${error?.code})` });
      }
    }
    return new Response("not found", { status: 404 });
  },
};
