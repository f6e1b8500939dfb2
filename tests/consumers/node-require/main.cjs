// Node, CommonJS: the package and its proxy entry through require(), as a CommonJS app or a
// tool that only requires would load them. Node loads the ES module entries synchronously
// (require(esm), unflagged since Node 20.19 and 22.12) because they have no top-level await: the
// Node entries instantiate the wasm with initSync.
const { SmmClient, SmmError, isSmmError, validateOrder } = require("smm-panel-sdk");
const { createProxy } = require("smm-panel-sdk/proxy");

async function main() {
  const { exercise } = await import("../shared/exercise.js");
  const result = await exercise({ SmmClient, SmmError, validateOrder }, {
    apiUrl: process.env.SMM_API_URL,
    key: process.env.SMM_KEY,
  });
  // createProxy from require() too, answering a request without a server.
  const handle = createProxy({ apiUrl: process.env.SMM_API_URL, key: process.env.SMM_PROXY_KEY });
  const proxied = await new SmmClient({ apiUrl: "https://shop.example/api/smm", fetch: (url, init) => handle(new Request(url, init)) }).balance();
  const refused = await new SmmClient({ apiUrl: "https://panel.example/api/v2", key: "k" })
    .addOrder({ service: 1, link: "", quantity: 1 })
    .catch((error) => ({ isSmmError: isSmmError(error), code: error.code, field: error.field }));
  console.log(JSON.stringify({
    ok: true, result, proxied, refused,
    resolved: { client: require.resolve("smm-panel-sdk"), proxy: require.resolve("smm-panel-sdk/proxy") },
  }));
}

main().catch((error) => {
  console.log(JSON.stringify({ ok: false, error: String(error?.stack ?? error) }));
  process.exitCode = 1;
});
