// One Node cold-start sample in its own process (bench.mjs runs it many times). BENCH_COLD picks
// what is imported: "sdk" (pkg/node.js, measures.coldStart), "floor" (measures.coldFloor) or
// "plain" (the hand-written client, measures.coldPlain). Prints {"fetchMs":…,"coldMs":…}.
import { coldFloor, coldPlain, coldStart } from "./site/measures.js";

const apiUrl = process.env.BENCH_API;
const key = process.env.BENCH_KEY;
const load = (path) => () => import(new URL(path, import.meta.url).href);
const samplers = {
  sdk: () => coldStart({ importSdk: load("../pkg/node.js"), apiUrl, key }),
  floor: () => coldFloor({ loadWasm: load("./floor-node.mjs"), apiUrl, key }),
  plain: () => coldPlain({ importPlain: load("./site/plain-client.js"), apiUrl, key }),
};
const sampler = samplers[process.env.BENCH_COLD];
if (!sampler) throw new Error(`BENCH_COLD takes one of ${Object.keys(samplers).join(", ")} (got "${process.env.BENCH_COLD}")`);
console.log(JSON.stringify(await sampler()));
