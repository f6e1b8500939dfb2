// The page only starts the Worker and relays; the SDK is loaded and called inside the Worker.
import { runInPage } from "./exercise.js";

runInPage(null, (params) => new Promise((resolve, reject) => {
  const worker = new Worker(new URL("./worker.js", import.meta.url), { type: "module" });
  worker.onerror = (event) => reject(new Error(`worker failed: ${event.message}`));
  worker.onmessage = ({ data }) => {
    if (data === "ready") worker.postMessage(params);
    else if (data.ok) resolve(data.result);
    else reject(new Error(data.error));
  };
}));
