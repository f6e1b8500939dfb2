// Node >= 20, ESM: the package resolves through its exports map ("node" condition).
import { SmmClient, SmmError, validateOrder } from "smm-panel-sdk";
import { exercise } from "../shared/exercise.js";

const result = await exercise({ SmmClient, SmmError, validateOrder }, {
  apiUrl: process.env.SMM_API_URL,
  key: process.env.SMM_KEY,
});
console.log(JSON.stringify({ ok: true, result, resolved: import.meta.resolve("smm-panel-sdk") }));
