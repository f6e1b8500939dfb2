// The sample reseller page: connect, browse services, place orders, follow them.
// Everything the panel is asked goes through the smm-panel-sdk package.
import { SmmClient, SmmError, orderTypeOf, orderTypes } from "./pkg/index.js";
import { compareDecimal, parseDecimal } from "./money.js";
import { loadOrders, saveOrders } from "./orders-store.js";
import { ServicesView } from "./services-view.js";

const $ = (id) => document.getElementById(id);

const state = {
  client: null,
  catalog: null, // the SDK's ServiceCatalog: lookup, validation and exact charge estimates
  apiUrl: "",
  proxy: false, // connected through a proxy that adds the key: no key in this page
  balance: null, // { balance, currency }
  orders: [],
  selected: new Set(),
  busy: false, // an orders action (refresh, refill, cancel) is in flight
};

// ---------------------------------------------------------------------------------------------
// Messages

/** Shows a message in a live region. kind: "ok" | "error" | "warn" | "info". */
function say(region, kind, title, detail) {
  const box = document.createElement("div");
  box.className = `note ${kind}`;
  const strong = document.createElement("p");
  strong.className = "note-title";
  strong.textContent = title;
  box.append(strong);
  for (const line of [detail].flat().filter(Boolean)) {
    const p = document.createElement("p");
    p.textContent = line;
    box.append(p);
  }
  region.replaceChildren(box);
}

const CORS_EXPLANATION =
  "Panels send no CORS headers, so a page on another site can send requests but is never shown the answers: " +
  "call the panel through a small proxy on your own server (which also keeps your API key out of the browser).";

/** A person's explanation of an SmmError from the given action. */
function explain(error) {
  if (!(error instanceof SmmError)) return { title: "Something went wrong.", detail: String(error) };
  switch (error.code) {
    case "api":
      if (/api key|\bkey\b/i.test(error.apiMessage ?? "")) {
        return { title: "The panel rejected the API key.", detail: `The panel said: “${error.apiMessage}”. Check the key on your panel's API page.` };
      }
      return { title: "The panel refused the request.", detail: `The panel said: “${error.apiMessage}”.` };
    case "http":
      return {
        title: `The panel answered with an error page (HTTP ${error.status}).`,
        detail: "It may be down, overloaded or behind a bot check. Try again later.",
      };
    case "timeout":
      return { title: "The panel did not answer in time.", detail: "It may be overloaded or unreachable. Try again later." };
    case "decode":
      return {
        title: "The panel's answer is not what the API sends.",
        detail: ["Check that the URL is the API endpoint (it usually ends in /api/v2).", error.message],
      };
    case "invalid_request":
      return { title: "This cannot be sent.", detail: error.message };
    case "aborted":
      return { title: "Stopped." };
    default: // network
      return { title: "No answer could be read from the panel.", detail: error.message };
  }
}

/**
 * A request failed with code "network": either the panel is unreachable, or it answered and the
 * browser hid the answer because the panel (on another origin) sends no CORS headers. An opaque
 * "no-cors" GET tells them apart: it succeeds whenever the server answers at all. It carries no
 * key and no action.
 */
async function networkDiagnosis(apiUrl) {
  if (new URL(apiUrl).origin === location.origin) return "unreachable";
  try {
    await fetch(apiUrl, { mode: "no-cors", credentials: "omit", cache: "no-store" });
    return "cors";
  } catch {
    return "unreachable";
  }
}

// ---------------------------------------------------------------------------------------------
// Connect: directly with a key, or through a proxy that adds the key on its server

const connectForm = $("connect");
// The simulator's demo account, pre-filled for the direct demo; never used in proxy mode.
const DEMO_KEY = "demo-key";
connectForm.apiUrl.value = new URL("/api/v2", location.href).href;

/** "direct": the key is typed here and sent by the browser. "proxy": no key in this page at all. */
function setMode(mode) {
  const proxy = mode === "proxy";
  connectForm.elements.namedItem(proxy ? "mode-proxy" : "mode-direct").checked = true;
  $("api-key-field").hidden = proxy;
  connectForm.key.disabled = proxy;
  connectForm.key.value = proxy ? "" : connectForm.key.value || DEMO_KEY;
  $("api-url-hint").textContent = proxy
    ? "Your proxy's address (here: this site's own /api/v2). The proxy adds the API key on its server, so this browser never has it."
    : "The panel's API address (usually ending in /api/v2). Leave the key empty if this is a proxy that adds it.";
}
setMode(new URLSearchParams(location.search).get("mode") === "proxy" ? "proxy" : "direct");
connectForm.addEventListener("change", (event) => {
  if (event.target.name === "mode") setMode(event.target.value);
});

connectForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  const button = $("connect-button");
  if (button.disabled) return;
  button.disabled = true;
  const message = $("connect-message");
  say(message, "info", "Connecting…");
  const apiUrl = connectForm.apiUrl.value.trim();
  const key = $("mode-proxy").checked ? undefined : connectForm.key.value.trim() || undefined;
  stopWatch();
  try {
    const client = new SmmClient({ apiUrl, key });
    const balance = await client.balance();
    state.client = client;
    state.apiUrl = apiUrl;
    state.proxy = key === undefined;
    showBalance(balance);
    const host = new URL(apiUrl).host;
    say(message, "ok", state.proxy ? `Connected to ${host} through a proxy: no API key in this browser.` : `Connected to ${host}.`);
    $("workspace").hidden = false;
    state.orders = loadOrders(apiUrl);
    state.selected.clear();
    renderOrders();
    await loadServices();
    if (state.orders.length) await refreshOrders();
  } catch (error) {
    state.client = null;
    state.catalog = null;
    $("workspace").hidden = true;
    $("account").hidden = true;
    const { title, detail } = explain(error);
    if (error instanceof SmmError && error.code === "network") {
      if ((await networkDiagnosis(apiUrl)) === "cors") {
        say(message, "error", "The panel answered, but the browser hides its answers from this page (CORS).", CORS_EXPLANATION);
      } else {
        say(message, "error", "The panel could not be reached.", "Check the URL, and that the panel (or your proxy) is up.");
      }
    } else {
      say(message, "error", title, detail);
    }
  } finally {
    button.disabled = false;
  }
});
// The form is handled from here on (the SDK module has loaded): it may be used.
$("connect-button").disabled = false;

function showBalance(balance) {
  state.balance = balance;
  $("balance").textContent = `${balance.balance} ${balance.currency}`.trim();
  $("account").hidden = false;
}

async function updateBalance() {
  try {
    showBalance(await state.client.balance());
  } catch {
    // The balance shown stays the last one read; the action's own message says what happened.
  }
}

// ---------------------------------------------------------------------------------------------
// Services

const services = new ServicesView({
  onOrder(service) {
    orderForm.service.value = service.service;
    onOrderInput({ target: orderForm.service });
    // The first field of the service's type; scrolls the form into view when it is not beside the table.
    orderForm.querySelector(".field[data-for]:not([hidden]) :is(input, textarea, select)")?.focus();
  },
});

async function loadServices() {
  $("services-count").textContent = "Loading services…";
  try {
    performance.mark("services-fetch-start");
    state.catalog = await state.client.catalog({ maxAgeMs: 0 });
    performance.measure("services-fetch", "services-fetch-start");
    services.setServices(state.catalog.services);
    onOrderInput({});
  } catch (error) {
    const { title, detail } = explain(error);
    $("services-count").textContent = `${title} ${[detail].flat().filter(Boolean).join(" ")}`;
  }
}

// ---------------------------------------------------------------------------------------------
// New order: the fields of the selected service's order type, checked by the SDK's catalog

const orderForm = $("order-form");
const touched = new Set();
let placing = false;

// What each order type takes, from the SDK's own table (orderTypes()): the page keeps no copy.
const ORDER_TYPES = orderTypes();
const DRIPFEED = new Set(["runs", "interval"]);
/** The fields each order type takes besides `service` and drip-feed's runs and interval, in form order. */
const TYPE_FIELDS = Object.fromEntries(ORDER_TYPES.map((t) => [t.type, t.fields.map((f) => f.name).filter((f) => !DRIPFEED.has(f))]));
/** Types whose quantity is the number of lines of a list (the list's name). */
const COUNTED = Object.fromEntries(ORDER_TYPES.filter((t) => t.charge.per === "thousand" && t.charge.count !== "quantity")
  .map((t) => [t.type, t.charge.count]));
/** Types priced per order rather than per 1000. */
const PER_PACKAGE = new Set(ORDER_TYPES.filter((t) => t.charge.per === "package").map((t) => t.type));
const DRIPFEED_TYPES = new Set(ORDER_TYPES.filter((t) => t.dripfeed).map((t) => t.type));
const allFields = ORDER_TYPES.flatMap((t) => t.fields);
const LIST_FIELDS = new Set(allFields.filter((f) => f.value === "list").map((f) => f.name));
const NUMBER_FIELDS = new Set(["service", ...allFields.filter((f) => f.value === "count" || f.value === "range").map((f) => f.name)]);
/** Every field of the form, in form order (the first wrong one gets the focus). */
const orderFields = ["service", ...new Set(Object.values(TYPE_FIELDS).flat()), "runs", "interval"];
const DELAYS = [0, 5, 10, 15, 20, 30, 40, 50, 60, 90, 120, 150, 180, 210, 240, 270, 300, 360, 420, 480, 540, 600];

const input = (name) => orderForm.elements.namedItem(name);
input("delay").replaceChildren(...DELAYS.map((m) => new Option(m === 0 ? "None" : `${m} minutes`, String(m))));

function selectedService() {
  const id = orderForm.service.valueAsNumber;
  return Number.isSafeInteger(id) ? state.catalog?.get(id) : undefined;
}

/** The order type of the selected service ("default" while none is selected). */
function selectedType(service = selectedService()) {
  return service ? orderTypeOf(service) : "default";
}

/** The fields shown for a type: web traffic's keyword and referrer only for their traffic source. */
function visibleFields(type) {
  const fields = TYPE_FIELDS[type] ?? TYPE_FIELDS.default;
  if (type !== "web_traffic") return fields;
  const source = Number(input("type_of_traffic").value);
  return fields.filter((f) => (f !== "google_keyword" || source === 1) && (f !== "referring_url" || source === 2));
}

function dripfeedChosen(service = selectedService()) {
  return Boolean(service?.dripfeed) && DRIPFEED_TYPES.has(selectedType(service)) && orderForm.dripfeed.checked;
}

/** A field's value as addOrder takes it; undefined when an optional field is left empty. */
function fieldValue(name) {
  const el = input(name);
  if (LIST_FIELDS.has(name)) return el.value.split("\n").map((line) => line.trim()).filter(Boolean);
  if (name === "expiry") return el.value || undefined; // the date input's "YYYY-MM-DD"
  if (NUMBER_FIELDS.has(name)) return el.value.trim() === "" ? undefined : Number(el.value);
  return el.value.trim();
}

/** The order as the form stands, shaped as addOrder takes it (the NewOrder union). */
function currentOrder() {
  const service = selectedService();
  const type = selectedType(service) ?? "default";
  const order = { type, service: fieldValue("service") };
  for (const field of visibleFields(type)) {
    const value = fieldValue(field);
    if (value !== undefined) order[field] = value;
  }
  if (dripfeedChosen(service)) {
    order.runs = fieldValue("runs");
    order.interval = fieldValue("interval");
  }
  return order;
}

/** A value the SDK accepts for `field`, so that the fields after it can be checked too. */
function standIn(field, service, probe) {
  const min = Math.max(1, service?.min ?? 1);
  switch (field) {
    case "link": case "username": case "hashtag": case "media": case "country": case "google_keyword": return "x";
    case "referring_url": return "https://example.com/";
    case "quantity": return min;
    case "comments": case "usernames": return Array.from({ length: min }, (_, i) => `x${i}`);
    case "hashtags": case "keywords": case "groups": return ["x"];
    case "min": return min;
    case "max": return Math.max(probe.min ?? min, service?.max ?? min);
    case "runs": return 2;
    case "interval": case "answer_number": case "device": return 1;
    case "delay": return 0;
    case "type_of_traffic": delete probe.google_keyword; delete probe.referring_url; return 3;
    case "posts": case "old_posts": case "expiry": return undefined;
    default: return null; // service, type: nothing to stand in with
  }
}

/**
 * Every field's problem, with the SDK's own messages: the catalog's validate() reports one field
 * at a time, so a wrong field is replaced by a valid stand-in and the order is checked again.
 */
function orderErrors(order, service) {
  const errors = {};
  if (!state.catalog) return errors;
  if (service && !selectedType(service)) {
    errors.service = `This page cannot order services of type “${service.type}”: the SDK does not know it.`;
    return errors;
  }
  const probe = { ...order };
  for (let i = 0; i <= orderFields.length; i++) {
    try {
      state.catalog.validate(probe);
      break;
    } catch (error) {
      if (!(error instanceof SmmError) || error.code !== "invalid_request") throw error;
      const field = orderFields.includes(error.field) ? error.field : "service";
      if (field in errors) break;
      errors[field] = error.message;
      const value = standIn(error.field, service, probe);
      if (value === null) break;
      if (value === undefined) delete probe[error.field];
      else probe[error.field] = value;
      // runs and interval go together: a stand-in for one needs one for the other.
      if (error.field === "runs" || error.field === "interval") {
        probe.runs ??= 2;
        probe.interval ??= 1;
      }
    }
  }
  return errors;
}

function onOrderInput(event) {
  const el = event.target;
  // A field's errors show once it has something in it, or once it was left (change, focusout).
  if (orderFields.includes(el?.name) && (event.type === "change" || el.value !== "")) touched.add(el.name);
  renderOrderForm();
}

let formService; // the service the drip-feed choice and type fields below were made for

const count = (n) => n.toLocaleString("en");

function renderOrderForm(showAll = false) {
  const service = selectedService();
  const type = selectedType(service);
  if (service !== formService && service?.service !== formService?.service) {
    // Another service: its drip-feed choice starts unchosen, never carried over by surprise, and
    // the new type's fields show their errors only once touched.
    formService = service;
    orderForm.dripfeed.checked = false;
    orderForm.runs.value = "";
    orderForm.interval.value = "";
    for (const field of orderFields) if (field !== "service" && field !== "link") touched.delete(field);
  }
  const fields = visibleFields(type);
  for (const el of orderForm.querySelectorAll("[data-for]")) {
    el.hidden = !el.dataset.for.split(" ").some((name) => fields.includes(name));
  }
  const info = $("order-service-info");
  const typeLine = $("order-type");
  const counted = COUNTED[type];
  if (service) {
    info.textContent = PER_PACKAGE.has(type)
      ? `${service.name} — ${service.rate} per package`
      : `${service.name} — ${service.rate} per 1000, ${count(service.min)}–${count(service.max)}`;
    typeLine.textContent = `Order type: ${service.type}`;
    $("order-quantity-hint").textContent = `Between ${count(service.min)} and ${count(service.max)}.`;
    $("order-comments-hint").textContent = counted === "comments"
      ? `The quantity is the number of lines: ${count(service.min)} to ${count(service.max)}.` : "";
    $("order-usernames-hint").textContent = counted === "usernames"
      ? `The quantity is the number of lines: ${count(service.min)} to ${count(service.max)}.` : "";
  } else {
    info.textContent = "Type a service ID, or press “Order” in the services table.";
    typeLine.textContent = "";
    $("order-quantity-hint").textContent = "";
  }
  typeLine.hidden = !service;
  $("dripfeed-fields").hidden = !(service?.dripfeed && DRIPFEED_TYPES.has(type));
  $("dripfeed-runs").hidden = !dripfeedChosen(service);

  const order = currentOrder();
  const errors = orderErrors(order, service);
  for (const field of orderFields) {
    const message = (showAll || touched.has(field)) && errors[field] ? errors[field] : "";
    $(`order-${field}-error`).textContent = message;
    input(field).setAttribute("aria-invalid", message ? "true" : "false");
  }

  const cost = $("order-cost");
  cost.textContent = "";
  if (service && Object.keys(errors).length === 0) {
    // The SDK's exact decimal estimate: what the panel will charge, to the last digit.
    const charge = state.catalog.estimateCharge(order);
    const currency = state.balance?.currency ?? "";
    let formula;
    if (PER_PACKAGE.has(type)) formula = `${service.rate} per package`;
    else if (type === "subscriptions") formula = "up front; new posts are charged as they are delivered";
    else {
      const quantity = counted ? `${count(order[counted].length)} ${counted}` : count(order.quantity);
      formula = `${service.rate} per 1000 × ${quantity}` + (order.runs > 1 ? ` × ${order.runs} runs` : "");
    }
    cost.textContent = `Cost: ${`${charge} ${currency}`.trim()} (${formula})`;
    const balance = parseDecimal(state.balance?.balance ?? "");
    if (balance && compareDecimal(parseDecimal(charge), balance) > 0) {
      cost.textContent += ` — more than your balance of ${state.balance.balance} ${currency}`;
    }
  }
  return errors;
}

for (const type of ["input", "change"]) orderForm.addEventListener(type, onOrderInput);
orderForm.addEventListener("focusout", (event) => {
  // Leaving a field for "Place order": the submit shows every error. Showing this one now would
  // push the button down between mousedown and mouseup, and the click would be lost.
  if (event.relatedTarget?.id === "order-submit") return;
  if (orderFields.includes(event.target.name)) {
    touched.add(event.target.name);
    renderOrderForm();
  }
});

/** What the orders view measures progress against: the quantity, or the number of lines. */
function orderedQuantity(order) {
  if (COUNTED[order.type]) return order[COUNTED[order.type]].length;
  return order.quantity;
}

orderForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  const button = $("order-submit");
  // The button is disabled before anything awaits, so a second click or Enter cannot reach here.
  if (placing) return;
  const message = $("order-message");
  const errors = renderOrderForm(true);
  const firstWrong = orderFields.find((field) => errors[field]);
  if (firstWrong) {
    orderFields.forEach((field) => touched.add(field));
    say(message, "error", "Please correct the highlighted fields.");
    input(firstWrong).focus();
    return;
  }
  placing = true;
  button.disabled = true;
  button.textContent = "Placing order…";
  const order = currentOrder();
  const service = selectedService();
  const estimate = state.catalog.estimateCharge(order);
  say(message, "info", "Placing the order…");
  try {
    const placed = await state.client.addOrder(order);
    const dripfeed = placed.type === "dripfeed" || order.runs !== undefined;
    state.orders.unshift({
      order: placed.order,
      kind: dripfeed ? "dripfeed" : "normal",
      orderType: order.type,
      service: service.service,
      serviceName: service.name,
      link: order.link ?? `@${order.username}`,
      quantity: orderedQuantity(order),
      runs: order.runs,
      interval: order.interval,
      estimate,
      canRefill: service.refill,
      canCancel: service.cancel,
      placedAt: new Date().toISOString(),
      status: null,
      final: false,
    });
    saveOrders(state.apiUrl, state.orders);
    renderOrders();
    startWatch(); // orders were added: watch them too
    say(message, "ok", `Order ${placed.order} placed${dripfeed ? ` (drip-feed, ${order.runs} runs every ${order.interval} min)` : ""}.`);
    // The next order starts clean: same service, no link or lists, and never drip-fed by surprise.
    for (const field of ["link", "comments", "usernames", "hashtags", "keywords", "groups", "google_keyword", "referring_url"]) {
      input(field).value = "";
    }
    orderForm.dripfeed.checked = false;
    orderForm.runs.value = "";
    orderForm.interval.value = "";
    touched.clear();
    renderOrderForm();
    await updateBalance();
  } catch (error) {
    if (error instanceof SmmError && error.delivery === "unknown") {
      say(message, "warn", "The panel may have placed this order — check its status before retrying.",
        "The request was sent but no answer arrived, so the order ID is not known. Look for it in the panel's order list; sending it again could place it twice.");
    } else {
      const { title, detail } = explain(error);
      say(message, "error", title === "The panel refused the request." ? "The panel refused the order." : title, detail);
    }
  } finally {
    placing = false;
    button.disabled = false;
    button.textContent = "Place order";
  }
});
// ---------------------------------------------------------------------------------------------
// Orders: followed with the SDK's watchOrders (batched status polls until every order is final)

/** Refill statuses after which a refill never changes again. */
const REFILL_FINAL = new Set(["Completed", "Partial", "Canceled", "Expired", "Rejected"]);
const OPEN_REFILL = new Set(["Pending", "In progress"]);

function canRefill(order) {
  return order.canRefill && ["Completed", "Partial"].includes(order.status?.status) && !OPEN_REFILL.has(order.refill?.status);
}

function canCancel(order) {
  return order.canCancel && !order.final;
}

/** What has the focus inside the orders table, so a re-render can give it back. */
function focusKey() {
  const active = document.activeElement;
  if (!active || !$("orders-body").contains(active)) return null;
  return { order: active.closest("tr")?.dataset.order, action: active.dataset.action };
}

function restoreFocus(key) {
  if (!key) return;
  const row = $("orders-body").querySelector(`tr[data-order="${key.order}"]`);
  const same = key.action && row?.querySelector(`button[data-action="${key.action}"]`);
  (same && !same.disabled ? same : row?.querySelector("input[data-select]"))?.focus();
}

function renderOrders(focus = focusKey()) {
  const body = $("orders-body");
  body.replaceChildren(...state.orders.map(orderRow));
  restoreFocus(focus);
  $("orders-table").hidden = state.orders.length === 0;
  $("orders-empty").hidden = state.orders.length > 0;
  const ids = new Set(state.orders.map((o) => o.order));
  for (const id of state.selected) if (!ids.has(id)) state.selected.delete(id);
  renderSelection();
  renderWatch();
}

function renderSelection() {
  const selected = state.orders.filter((o) => state.selected.has(o.order));
  const refillable = selected.filter(canRefill).length;
  const cancelable = selected.filter(canCancel).length;
  $("orders-refill").textContent = `Refill selected (${refillable})`;
  $("orders-cancel").textContent = `Cancel selected (${cancelable})`;
  $("orders-refill").disabled = state.busy || refillable === 0;
  $("orders-cancel").disabled = state.busy || cancelable === 0;
  $("orders-refresh").disabled = state.busy || state.orders.length === 0;
  const all = $("orders-select-all");
  all.checked = state.orders.length > 0 && selected.length === state.orders.length;
  all.indeterminate = selected.length > 0 && selected.length < state.orders.length;
}

function td(label, className) {
  const cell = document.createElement("td");
  cell.dataset.label = label;
  if (className) cell.className = className;
  return cell;
}

function orderRow(order) {
  const tr = document.createElement("tr");
  tr.dataset.order = order.order;
  const status = order.status;

  const pick = td("Select", "select");
  const box = document.createElement("input");
  box.type = "checkbox";
  box.checked = state.selected.has(order.order);
  box.dataset.select = order.order;
  box.setAttribute("aria-label", `Select order ${order.order}`);
  pick.append(box);

  const id = td("Order", "id");
  id.textContent = order.order;
  if (order.kind === "dripfeed") id.append(badge("drip-feed", "kind"));

  const service = td("Service");
  const name = document.createElement("span");
  name.className = "name";
  name.textContent = `${order.service} · ${order.serviceName}`;
  const link = document.createElement("span");
  link.className = "description";
  link.textContent = order.link;
  service.append(name, link);

  const progress = td("Progress");
  const bar = document.createElement("progress");
  const label = document.createElement("span");
  label.className = "progress-label";
  if (order.kind === "dripfeed") {
    const started = status?.orders?.length ?? 0;
    bar.max = order.runs;
    bar.value = Math.min(started, order.runs);
    label.textContent = status ? `${started} of ${order.runs} runs started` : `${order.runs} runs`;
  } else if (order.quantity && status && status.remains !== null && status.remains !== undefined) {
    const delivered = Math.max(0, order.quantity - status.remains);
    bar.max = order.quantity;
    bar.value = delivered;
    label.textContent = `${count(delivered)} / ${count(order.quantity)}`;
  } else if (status?.progress !== null && status?.progress !== undefined) {
    bar.max = 1;
    bar.value = status.progress;
    label.textContent = `${Math.round(status.progress * 100)} %`;
  } else {
    bar.max = order.quantity ?? 1;
    bar.removeAttribute("value");
    const ordered = order.quantity ? count(order.quantity) : "";
    label.textContent = order.quantity ? (status ? `? / ${ordered}` : `${ordered} ordered`) : "";
  }
  bar.setAttribute("aria-label", `Progress of order ${order.order}`);
  progress.append(bar, label);

  const statusCell = td("Status");
  if (status?.error) statusCell.append(badge(status.error, "error"));
  else if (status) statusCell.append(badge(status.status, statusClass(status.status)));
  else statusCell.append(badge("Not checked yet", "unknown"));
  if (order.refill) {
    const refill = document.createElement("span");
    refill.className = "description";
    refill.textContent = `Refill #${order.refill.id}: ${order.refill.status ?? "requested"}`;
    statusCell.append(refill);
  }

  const charge = td("Charge", "num");
  if (status?.charge) charge.textContent = `${status.charge} ${status.currency ?? ""}`.trim();
  else charge.textContent = order.estimate ? `≈ ${order.estimate} ${state.balance?.currency ?? ""}`.trim() : "—";

  const actions = td("", "action");
  actions.append(
    actionButton("Refill", order, "refill", canRefill(order), order.canRefill ? "" : "This service has no refill"),
    actionButton("Cancel", order, "cancel", canCancel(order), order.canCancel ? "" : "This service cannot be canceled"),
  );
  tr.append(pick, id, service, progress, statusCell, charge, actions);
  return tr;
}

function actionButton(text, order, action, enabled, why) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "secondary small";
  button.textContent = text;
  button.dataset.action = action;
  button.dataset.order = order.order;
  button.disabled = state.busy || !enabled;
  button.setAttribute("aria-label", `${text} order ${order.order}`);
  if (why) button.title = why;
  return button;
}

function badge(text, kind) {
  const span = document.createElement("span");
  span.className = `badge ${kind}`;
  span.textContent = text;
  return span;
}

function statusClass(status) {
  return { Completed: "done", Partial: "partial", Canceled: "canceled", Expired: "canceled", Refunded: "canceled", "In progress": "active", Active: "active", Pending: "pending" }[status] ?? "unknown";
}

// --- watching ---------------------------------------------------------------------------------

/** The running watchOrders call: { controller, intervalMs, lastChange, error, stopped }. */
let watch = null;

/** What watchOrders measures each order against: its quantity, or a drip-feed's runs. */
function watchTarget(order) {
  if (order.kind === "dripfeed") return { order: order.order, dripfeed: true, runs: order.runs };
  return order.quantity ? { order: order.order, quantity: order.quantity } : { order: order.order };
}

function stopWatch() {
  watch?.controller.abort();
  watch = null;
}

/**
 * (Re)starts watching every order that is not final yet. The SDK polls with the batched status
 * calls at once and then every intervalMs, reports each change, backs off on errors, and stops by
 * itself when every order is final; an older watch is aborted first.
 */
function startWatch() {
  stopWatch();
  if (!state.client) return;
  const targets = state.orders.filter((o) => !o.final).map(watchTarget);
  if (targets.length === 0) return renderWatch();
  const controller = new AbortController();
  const current = {
    controller, intervalMs: Number($("orders-interval").value), lastChange: null, error: null, stopped: false,
    unseen: new Set(targets.map((t) => t.order)), // not reported yet: the first poll reports every order
  };
  watch = current;
  let updates;
  try {
    updates = state.client.watchOrders(targets, {
      intervalMs: current.intervalMs,
      signal: controller.signal,
      onError(error) {
        // A failed poll that the SDK retries later, waiting longer each time.
        current.error = error;
        renderWatch();
      },
    });
  } catch (error) {
    current.error = error;
    current.stopped = true;
    return renderWatch();
  }
  renderWatch();
  (async () => {
    try {
      for await (const update of updates) {
        if (controller.signal.aborted) break;
        current.error = null;
        current.lastChange = new Date();
        current.unseen.delete(update.order);
        applyUpdate(update);
      }
    } catch (error) {
      // The panel refused (e.g. the key was revoked): watching stops, and says why.
      if (!controller.signal.aborted) current.error = error;
    } finally {
      current.stopped = true;
      if (watch === current) renderWatch();
    }
  })();
}

function applyUpdate(update) {
  const order = state.orders.find((o) => o.order === update.order);
  if (!order) return;
  const { order: _id, final, ...status } = update;
  order.status = status;
  order.final = final;
  saveOrders(state.apiUrl, state.orders);
  renderOrders();
}

const time = (date) => date.toLocaleTimeString("en-GB");

function renderWatch() {
  const line = $("orders-watch");
  const open = state.orders.filter((o) => !o.final).length;
  const every = $("orders-interval").selectedOptions[0]?.textContent ?? "";
  let text = "";
  if (watch && !watch.stopped) {
    text = `Watching ${open} order${open === 1 ? "" : "s"}: statuses are checked every ${every}.`;
    if (watch.lastChange) text += ` Last change seen at ${time(watch.lastChange)}.`;
    if (watch.error) text += ` The last check failed (${explain(watch.error).title}); trying again later.`;
  } else if (watch?.error) {
    text = `Statuses are no longer watched: ${explain(watch.error).title}`;
  } else if (state.orders.length && open === 0) {
    text = "Every order is final: nothing left to watch.";
  }
  line.textContent = text;
  line.dataset.watching = watch && !watch.stopped ? "yes" : "no";
  // "yes" once the current watch's first poll reported every order it watches (or nothing is watched).
  line.dataset.polled = watch && !watch.stopped && watch.unseen.size > 0 ? "no" : "yes";
}

$("orders-interval").addEventListener("change", () => startWatch());

// --- actions ----------------------------------------------------------------------------------

/** Runs one orders action with the buttons disabled, then re-renders. */
async function ordersAction(work) {
  if (state.busy) return;
  const focus = focusKey();
  const toolbarButton = document.activeElement?.closest(".toolbar button");
  state.busy = true;
  renderOrders(null);
  try {
    await work();
  } finally {
    state.busy = false;
    saveOrders(state.apiUrl, state.orders);
    renderOrders(focus);
    // A toolbar button that is now disabled cannot keep the focus: the result message takes it.
    if (toolbarButton) (toolbarButton.disabled ? $("orders-message") : toolbarButton).focus();
  }
}

/** Reads the open refills' statuses once (batched); watchOrders follows the orders themselves. */
async function refreshRefills() {
  const refills = state.orders.filter((o) => o.refill && !REFILL_FINAL.has(o.refill.status)).map((o) => o.refill.id);
  if (!refills.length) return;
  for (const item of await state.client.refillStatusMany(refills)) {
    const order = state.orders.find((o) => o.refill?.id === item.refill);
    if (order) order.refill.status = item.error ?? item.status;
  }
}

/** "Refresh statuses": the watch restarts (so it polls at once), refills and balance are read. */
async function refreshOrders() {
  const message = $("orders-message");
  await ordersAction(async () => {
    startWatch();
    try {
      await refreshRefills();
      message.replaceChildren();
    } catch (error) {
      const { title, detail } = explain(error);
      say(message, "error", `Refill statuses could not be read. ${title}`, detail);
    }
    await updateBalance();
  });
}

/** Refill or cancel some orders: one order with the single call, several with the batched one. */
async function act(action, ids) {
  const message = $("orders-message");
  await ordersAction(async () => {
    const verb = action === "refill" ? "Refill" : "Cancel";
    const done = [];
    const failed = [];
    try {
      let results;
      if (ids.length === 1) {
        try {
          results = [await state.client[action](ids[0])];
        } catch (error) {
          if (!(error instanceof SmmError) || error.code !== "api") throw error;
          results = [{ order: ids[0], error: error.apiMessage }];
        }
      } else {
        results = await state.client[action === "refill" ? "refillMany" : "cancelMany"](ids);
      }
      for (const item of results) {
        const order = state.orders.find((o) => o.order === item.order);
        if (item.error) {
          failed.push(`${item.order}: ${item.error}`);
        } else {
          done.push(item.order);
          if (action === "refill" && order) order.refill = { id: item.refill, status: null };
        }
      }
      state.selected.clear();
      const lines = failed.length ? [`Not done — ${failed.join("; ")}.`] : [];
      if (done.length) {
        say(message, failed.length ? "warn" : "ok", `${verb} requested for order${done.length > 1 ? "s" : ""} ${done.join(", ")}.`, lines);
      } else {
        say(message, "error", `${verb} was not accepted.`, lines);
      }
      // A cancel changes the orders' statuses: the watch restarts, so it reads them at once.
      if (action === "cancel" && done.length) startWatch();
      await refreshRefills().catch(() => {});
    } catch (error) {
      const { title, detail } = explain(error);
      const unknown = error instanceof SmmError && error.delivery === "unknown";
      say(message, unknown ? "warn" : "error",
        unknown ? `The panel may have received the ${action} request — refresh the statuses to see.` : `${verb} failed. ${title}`,
        unknown ? undefined : detail);
    }
  });
}

$("orders-refresh").addEventListener("click", () => refreshOrders());
$("orders-refill").addEventListener("click", () =>
  act("refill", state.orders.filter((o) => state.selected.has(o.order) && canRefill(o)).map((o) => o.order)));
$("orders-cancel").addEventListener("click", () =>
  act("cancel", state.orders.filter((o) => state.selected.has(o.order) && canCancel(o)).map((o) => o.order)));
$("orders-select-all").addEventListener("change", (event) => {
  state.selected = new Set(event.target.checked ? state.orders.map((o) => o.order) : []);
  for (const box of $("orders-body").querySelectorAll("input[data-select]")) box.checked = event.target.checked;
  renderSelection();
});
$("orders-body").addEventListener("change", (event) => {
  const id = Number(event.target.dataset.select);
  if (!id) return;
  if (event.target.checked) state.selected.add(id);
  else state.selected.delete(id);
  renderSelection();
});
$("orders-body").addEventListener("click", (event) => {
  const button = event.target.closest("button[data-action]");
  if (button) act(button.dataset.action, [Number(button.dataset.order)]);
});
