// One Node cold-start sample in its own process (bench.mjs runs it many times): see
// measures.coldStart. Prints {"fetchMs":…,"sdkMs":…}.
import { coldStart } from "./site/measures.js";

const sample = await coldStart({
  importSdk: () => import(new URL("../pkg/node.js", import.meta.url).href),
  apiUrl: process.env.BENCH_API,
  key: process.env.BENCH_KEY,
});
console.log(JSON.stringify(sample));
