// Workers have no import maps: the package is imported by path, as a user serving it would.
import { SmmClient, SmmError, validateOrder } from "./vendor/smm-panel-sdk/index.js";
import { exercise } from "./exercise.js";

self.onmessage = async ({ data }) => {
  try {
    const result = await exercise({ SmmClient, SmmError, validateOrder }, data);
    self.postMessage({ ok: true, result: { ...result, scope: self.constructor.name } });
  } catch (error) {
    self.postMessage({ ok: false, error: `${error?.name}: ${error?.message} (${error?.code})` });
  }
};
self.postMessage("ready");
