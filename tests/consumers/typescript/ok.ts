// Every method, option, result field and error field of the package, used as a consumer would.
// Must compile with `tsc --strict --noEmit`.
import { isSmmError, orderTypeOf, ServiceCatalog, SmmClient, SmmError, validateOrder } from "smm-panel-sdk";
import { createProxy, isSmmError as isProxySmmError } from "smm-panel-sdk/proxy";
import type { ProxyOptions } from "smm-panel-sdk/proxy";
import type {
  AddOrderResult, Balance, CallOptions, CancelManyResult, CancelResult, DripfeedStatus,
  DripfeedStatusResult, NewOrder, OrderStatus, OrderStatusResult, RefillManyResult, RefillResult,
  RefillStatus, RefillStatusResult, Service, SmmClientOptions, OrderType, OrderUpdate,
  ManyCallResult, UnansweredOrder, UnansweredRefill,
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
  try {
    await client.refillMany([placed.order, 2]);
  } catch (error) {
    if (!(error instanceof SmmError)) throw error;
    const results: ManyCallResult[] = error.results ?? [];
    for (const item of results) {
      if ("delivery" in item) {
        const unanswered: UnansweredOrder | UnansweredRefill = item;
        const delivery: Delivery = unanswered.delivery;
        const code: Code = unanswered.code;
        out.push(`${"order" in unanswered ? unanswered.order : unanswered.refill} ${unanswered.error} ${code} ${delivery}`);
      } else if ("refill" in item && typeof item.refill === "number" && "order" in item) out.push(`${item.order} got ${item.refill}`);
    }
  }
  const refillStatus: RefillStatus = await client.refillStatus(refill.refill);
  out.push(`${refillStatus.refill} ${refillStatus.status}`);
  const refillStatusMany: RefillStatusResult[] = await client.refillStatusMany([refill.refill]);
  for (const item of refillStatusMany) out.push("error" in item ? `${item.refill} ${item.error}` : `${item.refill} ${item.status}`);

  const cancel: CancelResult = await client.cancel(placed.order);
  out.push(`${cancel.order} ${cancel.cancel}`);
  const cancelMany: CancelManyResult[] = await client.cancelMany([placed.order]);
  for (const item of cancelMany) out.push("error" in item ? `${item.order} ${item.error}` : `${item.order} ${item.cancel}`);

  // Order types, narrowed on `type`.
  const typed: NewOrder[] = [
    { type: "custom_comments", service: 3, link: "https://x.example/p", comments: ["Nice!", "Great"] },
    { type: "package", service: 12, link: "https://x.example/p" },
    { type: "mentions", service: 9, link: "https://x.example/p", quantity: 100, usernames: ["a", "b"] },
    { type: "subscriptions", service: 40, username: "acme", min: 100, max: 200, delay: 30, posts: 10, expiry: "2027-01-31" },
  ];
  for (const o of typed) validateOrder(o);
  const kindOf: OrderType | undefined = orderTypeOf(services[0]) ?? orderTypeOf("Custom Comments");
  out.push(String(kindOf));

  const catalog: ServiceCatalog = await client.catalog({ maxAgeMs: 300000, timeoutMs: 5000 });
  const found: Service | undefined = catalog.get(1);
  const names: string[] = [...catalog.categories(), ...catalog.types(), ...catalog.search("likes").map((x) => x.name)];
  catalog.validate(order);
  const estimate: string = catalog.estimateCharge(order);
  out.push(`${found?.name} ${names.length} ${estimate} ${catalog.fetchedAt} ${catalog.services.length}`);

  for await (const update of client.watchOrders([placed.order, { order: drip.order, quantity: 100 }], { intervalMs: 10000, signal: call.signal })) {
    const u: OrderUpdate = update;
    if (u.error !== undefined) out.push(`${u.order} failed: ${u.error}`);
    else out.push(`${u.order} ${u.status} ${u.progress ?? "?"} ${u.final} ${u.dripfeed ? u.orders : u.remains}`);
    if (u.final) break;
  }

  const proxyOptions: ProxyOptions = {
    apiUrl: "https://panel.example/api/v2", key: "secret", allowedActions: ["services", "balance", "status"],
    allowedOrigins: ["https://shop.example"], rateLimit: { requests: 60, perMs: 60000 }, timeoutMs: 10000,
  };
  const handle: (request: Request) => Promise<Response> = createProxy(proxyOptions);
  out.push(String((await handle(new Request("https://shop.example/api/smm", { method: "POST", body: "action=balance" }))).status));
  try {
    createProxy({ apiUrl: "ftp://panel.example", key: "secret" });
  } catch (error: unknown) {
    if (isProxySmmError(error)) out.push(advice(error));
  }

  try {
    await viaProxy.balance({ signal: AbortSignal.timeout(1000) });
  } catch (error) {
    if (error instanceof SmmError) out.push(advice(error));
    else throw error;
  }
  try {
    await client.orderStatus(0);
  } catch (error: unknown) {
    // The type guard narrows `unknown` to SmmError.
    if (isSmmError(error)) out.push(advice(error), error.delivery);
    else throw error;
  }
  client.free();
  return out;
}
