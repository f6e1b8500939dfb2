// Deliberate misuse: every line marked `@expect TSnnnn` must fail with that error (`A|B`: TypeScript versions differ), and
// nothing else may fail. Checked by typescript.test.mjs.
import { SmmClient, SmmError, validateOrder } from "smm-panel-sdk";
import type { OrderStatusResult } from "smm-panel-sdk";

new SmmClient({ key: "secret" }); // @expect TS2345|TS2741 (apiUrl missing)
new SmmClient({ apiUrl: "https://panel.example/api/v2", timeout: 5000 }); // @expect TS2353|TS2561 (no such option)
new SmmClient({ apiUrl: "https://panel.example/api/v2", maxRetries: "2" }); // @expect TS2322 (a number)
const client = new SmmClient({ apiUrl: "https://panel.example/api/v2", key: "secret" });

export async function misuse(error: SmmError, many: OrderStatusResult[]): Promise<void> {
  await client.orderStatus("23501"); // @expect TS2345 (IDs are numbers)
  await client.orderStatusMany(23501); // @expect TS2345 (an array of IDs)
  await client.addOrder({ service: 1, link: "https://x.example/p" }); // @expect TS2345 (quantity missing)
  await client.addOrder({ service: 1, link: "https://x.example/p", quantity: 10, type: "dripfeed" }); // @expect TS2322 (no such type)
  validateOrder({ service: "1", link: "https://x.example/p", quantity: 10 }); // @expect TS2322 (service is a number)
  await client.balance({ signal: "stop" }); // @expect TS2322 (an AbortSignal)
  const balance = await client.balance();
  const amount: number = balance.balance; // @expect TS2322 (money is an exact decimal string)
  console.log(balance.amount); // @expect TS2339 (no such field)
  const [first] = await client.services();
  const rate: number = first.rate; // @expect TS2322 (a string)
  console.log(first.startCount); // @expect TS2339 (no such field)
  console.log(many[0].charge); // @expect TS2339 (not narrowed: an item may be an error)
  console.log(error.reason); // @expect TS2339 (no such field)
  if (error.code === "timed_out") return; // @expect TS2367 (not one of the codes)
  const delivery: "sent" = error.delivery; // @expect TS2322 (not one of the deliveries)
  await client.orders(); // @expect TS2339 (no such method)
  await client.addOrder({ type: "custom_comments", service: 3, link: "https://x.example/p", comments: "Nice!" }); // @expect TS2322 (a list)
  const catalog = await client.catalog({ maxAgeMs: "5m" }); // @expect TS2322 (milliseconds)
  const charge: number = catalog.estimateCharge({ service: 1, link: "https://x.example/p", quantity: 10 }); // @expect TS2322 (exact decimal string)
  console.log(amount, rate, delivery, charge);
}
