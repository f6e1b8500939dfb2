// One Node cold-start sample in its own process (bench.mjs runs it many times): see
// measures.coldStart, or measures.coldFloor with BENCH_FLOOR=1. Prints {"fetchMs":…,"coldMs":…}.
import { coldFloor, coldStart } from "./site/measures.js";

const apiUrl = process.env.BENCH_API;
const key = process.env.BENCH_KEY;
const sample =
  process.env.BENCH_FLOOR === "1"
    ? await coldFloor({ loadWasm: () => import(new URL("./floor-node.mjs", import.meta.url).href), apiUrl, key })
    : await coldStart({ importSdk: () => import(new URL("../pkg/node.js", import.meta.url).href), apiUrl, key });
console.log(JSON.stringify(sample));
