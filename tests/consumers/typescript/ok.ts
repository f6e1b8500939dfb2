// Every method, option, result field and error field of the package, used as a consumer would.
// Must compile with `tsc --strict --noEmit`.
import { SmmClient, SmmError, validateOrder } from "smm-panel-sdk";
import type {
  AddOrderResult, Balance, CallOptions, CancelManyResult, CancelResult, DripfeedStatus,
  DripfeedStatusResult, NewOrder, OrderStatus, OrderStatusResult, RefillManyResult, RefillResult,
  RefillStatus, RefillStatusResult, Service, SmmClientOptions,
} from "smm-panel-sdk";

const options: SmmClientOptions = {
  apiUrl: "https://panel.example/api/v2",
  key: "secret",
  timeoutMs: 30000,
  maxRetries: 2,
  concurrency: 4,
  allowHttp: false,
  fetch: globalThis.fetch,
};
const client = new SmmClient(options);
const viaProxy = new SmmClient({ apiUrl: "https://shop.example/api/smm" });
const call: CallOptions = { signal: new AbortController().signal, timeoutMs: 5000 };

type Code = "invalid_request" | "api" | "http" | "network" | "timeout" | "aborted" | "decode";
type Delivery = "not_sent" | "unknown" | "received";

function advice(error: SmmError): string {
  const delivery: Delivery = error.delivery;
  switch (error.code) {
    case "invalid_request": return `fix ${error.field ?? "the input"}: ${error.message}`;
    case "api": return `the panel said ${error.apiMessage ?? ""}`;
    case "http": return `HTTP ${error.status ?? 0}`;
    case "network":
    case "timeout":
    case "aborted":
      return delivery === "unknown" ? `check ${error.action ?? "?"} before retrying` : "retry";
    case "decode": return `${error.name}: ${error.stack ?? ""}`;
    default: {
      const unreachable: never = error.code; // the union is exactly the documented codes
      return unreachable;
    }
  }
}

export async function everything(): Promise<string[]> {
  const out: string[] = [];

  const services: Service[] = await client.services(call);
  for (const s of services) {
    const id: number = s.service;
    const rate: string = s.rate;
    const range: [number, number] = [s.min, s.max];
    const flags: boolean[] = [s.refill, s.cancel, s.dripfeed ?? false];
    const text: string = `${s.name} ${s.type} ${s.category} ${s.description ?? ""}`;
    out.push(`${id} ${rate} ${range} ${flags} ${text}`);
  }

  const balance: Balance = await client.balance();
  out.push(`${balance.balance} ${balance.currency}`);

  const order: NewOrder = { type: "default", service: 1, link: "https://x.example/p", quantity: 1000 };
  validateOrder(order);
  const placed: AddOrderResult = await client.addOrder(order, { timeoutMs: 60000 });
  const kind: "normal" | "dripfeed" = placed.type;
  const drip: AddOrderResult = await client.addOrder({ service: 1, link: "https://x.example/p", quantity: 100, runs: 5, interval: 30 });

  const status: OrderStatus = await client.orderStatus(placed.order, call);
  const charge: string | null = status.charge;
  const counts: Array<number | null> = [status.start_count, status.remains];
  const currency: string | null = status.currency;
  out.push(`${kind} ${charge} ${counts} ${currency} ${status.status}`);

  const many: OrderStatusResult[] = await client.orderStatusMany([placed.order, 2, 3]);
  for (const item of many) {
    if ("error" in item) out.push(`${item.order}: ${item.error}`);
    else out.push(`${item.order}: ${item.status} ${item.charge} ${item.remains}`);
  }

  const dripStatus: DripfeedStatus = await client.dripfeedStatus(drip.order);
  const runs: number[] = dripStatus.orders;
  out.push(`${dripStatus.status} ${runs}`);
  const dripMany: DripfeedStatusResult[] = await client.dripfeedStatusMany([drip.order]);
  for (const item of dripMany) out.push("error" in item ? item.error : `${item.order} ${item.status} ${item.orders}`);

  const refill: RefillResult = await client.refill(placed.order);
  const refillMany: RefillManyResult[] = await client.refillMany([placed.order]);
  for (const item of refillMany) out.push("error" in item ? `${item.order} ${item.error}` : `${item.order} ${item.refill}`);
  const refillStatus: RefillStatus = await client.refillStatus(refill.refill);
  out.push(`${refillStatus.refill} ${refillStatus.status}`);
  const refillStatusMany: RefillStatusResult[] = await client.refillStatusMany([refill.refill]);
  for (const item of refillStatusMany) out.push("error" in item ? `${item.refill} ${item.error}` : `${item.refill} ${item.status}`);

  const cancel: CancelResult = await client.cancel(placed.order);
  out.push(`${cancel.order} ${cancel.cancel}`);
  const cancelMany: CancelManyResult[] = await client.cancelMany([placed.order]);
  for (const item of cancelMany) out.push("error" in item ? `${item.order} ${item.error}` : `${item.order} ${item.cancel}`);

  try {
    await viaProxy.balance({ signal: AbortSignal.timeout(1000) });
  } catch (error) {
    if (error instanceof SmmError) out.push(advice(error));
    else throw error;
  }
  client.free();
  return out;
}
