// The sample reseller page: connect, browse services, place orders, follow them.
// Everything the panel is asked goes through the smm-panel-sdk package.
import { SmmClient, SmmError, validateOrder } from "./pkg/index.js";
import { compareDecimal, estimateCharge, parseDecimal } from "./money.js";
import { loadOrders, saveOrders } from "./orders-store.js";
import { ServicesView } from "./services-view.js";

const $ = (id) => document.getElementById(id);

const state = {
  client: null,
  apiUrl: "",
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
// Connect

const connectForm = $("connect");
connectForm.apiUrl.value = new URL("/api/v2", location.href).href;

connectForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  const button = $("connect-button");
  if (button.disabled) return;
  button.disabled = true;
  const message = $("connect-message");
  say(message, "info", "Connecting…");
  const apiUrl = connectForm.apiUrl.value.trim();
  try {
    const client = new SmmClient({ apiUrl, key: connectForm.key.value.trim() || undefined });
    const balance = await client.balance();
    state.client = client;
    state.apiUrl = apiUrl;
    showBalance(balance);
    say(message, "ok", `Connected to ${new URL(apiUrl).host}.`);
    $("workspace").hidden = false;
    state.orders = loadOrders(apiUrl);
    state.selected.clear();
    renderOrders();
    await loadServices();
    if (state.orders.length) await refreshOrders();
  } catch (error) {
    state.client = null;
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
    orderForm.link.focus(); // scrolls the form into view when it is not beside the table
  },
});

async function loadServices() {
  $("services-count").textContent = "Loading services…";
  try {
    performance.mark("services-fetch-start");
    const list = await state.client.services();
    performance.measure("services-fetch", "services-fetch-start");
    services.setServices(list);
    onOrderInput({});
  } catch (error) {
    const { title, detail } = explain(error);
    $("services-count").textContent = `${title} ${[detail].flat().filter(Boolean).join(" ")}`;
  }
}

// ---------------------------------------------------------------------------------------------
// New order

const orderForm = $("order-form");
const orderFields = ["service", "link", "quantity", "runs", "interval"];
const touched = new Set();
let placing = false;

function selectedService() {
  const id = orderForm.service.valueAsNumber;
  return Number.isSafeInteger(id) ? services.get(id) : undefined;
}

const numberOrUndefined = (input) => (input.value.trim() === "" ? undefined : input.valueAsNumber);

/** The order as the form stands, shaped as addOrder takes it. */
function currentOrder() {
  const order = {
    service: numberOrUndefined(orderForm.service),
    link: orderForm.link.value.trim(),
    quantity: numberOrUndefined(orderForm.quantity),
  };
  if (dripfeedChosen()) {
    order.runs = numberOrUndefined(orderForm.runs);
    order.interval = numberOrUndefined(orderForm.interval);
  }
  return order;
}

function dripfeedChosen() {
  return Boolean(selectedService()?.dripfeed) && orderForm.dripfeed.checked;
}

// A stand-in that the SDK accepts for each field, so every field's own error can be found.
const VALID = { service: 1, link: "x", quantity: 1, runs: 1, interval: 1 };

/**
 * Every field's problem, with the SDK's own messages: validateOrder reports one field at a time,
 * so a field found wrong is replaced by a valid stand-in and the order is checked again. Then the
 * checks that need the catalog (the service exists, the quantity is in its range).
 */
function orderErrors(order) {
  const errors = {};
  const probe = { ...order };
  for (let i = 0; i < orderFields.length + 1; i++) {
    try {
      validateOrder(probe);
      break;
    } catch (error) {
      if (!(error instanceof SmmError) || !error.field || error.field in errors) throw error;
      errors[error.field] = error.message;
      probe[error.field] = VALID[error.field];
      // runs and interval go together: a stand-in for one needs one for the other.
      if (error.field === "runs" || error.field === "interval") {
        probe.runs ??= VALID.runs;
        probe.interval ??= VALID.interval;
      }
    }
  }
  const service = selectedService();
  if (!errors.service && !service) errors.service = `service ${order.service} is not in this panel's catalog`;
  if (service && !errors.quantity && order.quantity !== undefined) {
    if (order.quantity < service.min) errors.quantity = `quantity must be at least ${service.min} for this service`;
    else if (order.quantity > service.max) errors.quantity = `quantity must be at most ${service.max} for this service`;
  }
  return errors;
}

function onOrderInput(event) {
  const input = event.target;
  // A field's errors show once it has something in it, or once it was left (change, focusout).
  if (orderFields.includes(input?.name) && (event.type === "change" || input.value !== "")) touched.add(input.name);
  renderOrderForm();
}

let formService; // the service the drip-feed choice below was made for

function renderOrderForm(showAll = false) {
  const service = selectedService();
  if (service !== formService) {
    // Another service: its drip-feed choice starts unchosen, never carried over by surprise.
    formService = service;
    orderForm.dripfeed.checked = false;
    orderForm.runs.value = "";
    orderForm.interval.value = "";
    touched.delete("runs");
    touched.delete("interval");
  }
  const info = $("order-service-info");
  if (service) {
    info.textContent = `${service.name} — ${service.rate} per 1000, ${service.min.toLocaleString("en")}–${service.max.toLocaleString("en")}`;
    $("order-quantity-hint").textContent = `Between ${service.min.toLocaleString("en")} and ${service.max.toLocaleString("en")}.`;
  } else {
    info.textContent = "Type a service ID, or press “Order” in the services table.";
    $("order-quantity-hint").textContent = "";
  }
  $("dripfeed-fields").hidden = !service?.dripfeed;
  $("dripfeed-runs").hidden = !dripfeedChosen();

  const order = currentOrder();
  const errors = orderErrors(order);
  for (const field of orderFields) {
    const input = orderForm[field];
    const message = (showAll || touched.has(field)) && errors[field] ? errors[field] : "";
    $(`order-${field}-error`).textContent = message;
    input.setAttribute("aria-invalid", message ? "true" : "false");
  }

  const cost = $("order-cost");
  const runs = dripfeedChosen() ? order.runs : 1;
  const charge = service && !errors.quantity && !errors.runs ? estimateCharge(service.rate, order.quantity, runs) : null;
  if (charge === null) {
    cost.textContent = "";
  } else {
    const currency = state.balance?.currency ?? "";
    const formula = `${service.rate} per 1000 × ${order.quantity.toLocaleString("en")}` + (runs > 1 ? ` × ${runs} runs` : "");
    cost.textContent = `Cost: ${charge} ${currency} (${formula})`;
    const balance = parseDecimal(state.balance?.balance ?? "");
    if (balance && compareDecimal(parseDecimal(charge), balance) > 0) {
      cost.textContent += ` — more than your balance of ${state.balance.balance} ${currency}`;
    }
  }
  return errors;
}

for (const type of ["input", "change"]) orderForm.addEventListener(type, onOrderInput);
orderForm.addEventListener("focusout", (event) => {
  if (orderFields.includes(event.target.name)) {
    touched.add(event.target.name);
    renderOrderForm();
  }
});

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
    orderForm[firstWrong].focus();
    return;
  }
  placing = true;
  button.disabled = true;
  button.textContent = "Placing order…";
  const order = currentOrder();
  const service = selectedService();
  say(message, "info", "Placing the order…");
  try {
    const placed = await state.client.addOrder(order);
    const dripfeed = placed.type === "dripfeed" || order.runs !== undefined;
    state.orders.unshift({
      order: placed.order,
      type: dripfeed ? "dripfeed" : "normal",
      service: service.service,
      serviceName: service.name,
      link: order.link,
      quantity: order.quantity,
      runs: order.runs,
      interval: order.interval,
      estimate: estimateCharge(service.rate, order.quantity, order.runs ?? 1),
      canRefill: service.refill,
      canCancel: service.cancel,
      placedAt: new Date().toISOString(),
      status: null,
    });
    saveOrders(state.apiUrl, state.orders);
    renderOrders();
    say(message, "ok", `Order ${placed.order} placed${dripfeed ? ` (drip-feed, ${order.runs} runs every ${order.interval} min)` : ""}.`);
    // The next order starts clean: same service, no link, and never drip-fed by surprise.
    orderForm.link.value = "";
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
// Orders

const FINAL = new Set(["Completed", "Partial", "Canceled", "Expired", "Rejected"]);
const OPEN_REFILL = new Set(["Pending", "In progress"]);

function canRefill(order) {
  return order.canRefill && ["Completed", "Partial"].includes(order.status?.status) && !OPEN_REFILL.has(order.refill?.status);
}

function canCancel(order) {
  return order.canCancel && !FINAL.has(order.status?.status);
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
  if (order.type === "dripfeed") id.append(badge("drip-feed", "kind"));

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
  if (order.type === "dripfeed") {
    const started = status?.orders?.length ?? 0;
    bar.max = order.runs;
    bar.value = Math.min(started, order.runs);
    label.textContent = status ? `${started} of ${order.runs} runs started` : `${order.runs} runs`;
  } else if (status && status.remains !== null && status.remains !== undefined) {
    const delivered = Math.max(0, order.quantity - status.remains);
    bar.max = order.quantity;
    bar.value = delivered;
    label.textContent = `${delivered.toLocaleString("en")} / ${order.quantity.toLocaleString("en")}`;
  } else {
    bar.max = order.quantity;
    bar.removeAttribute("value");
    label.textContent = status ? `? / ${order.quantity.toLocaleString("en")}` : `${order.quantity.toLocaleString("en")} ordered`;
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
  return { Completed: "done", Partial: "partial", Canceled: "canceled", Expired: "canceled", "In progress": "active", Active: "active", Pending: "pending" }[status] ?? "unknown";
}

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

/** Reads every order's status with the batched calls (normal orders, drip-feed parents, refills). */
async function refreshStatuses() {
  const byId = new Map(state.orders.map((o) => [o.order, o]));
  const normal = state.orders.filter((o) => o.type !== "dripfeed").map((o) => o.order);
  const dripfeed = state.orders.filter((o) => o.type === "dripfeed").map((o) => o.order);
  const refills = state.orders.filter((o) => o.refill && !FINAL.has(o.refill.status)).map((o) => o.refill.id);
  const [statuses, dripfeeds, refillStatuses] = await Promise.all([
    normal.length ? state.client.orderStatusMany(normal) : [],
    dripfeed.length ? state.client.dripfeedStatusMany(dripfeed) : [],
    refills.length ? state.client.refillStatusMany(refills) : [],
  ]);
  for (const item of [...statuses, ...dripfeeds]) {
    const { order, ...status } = item;
    byId.get(order).status = status;
  }
  for (const item of refillStatuses) {
    const order = state.orders.find((o) => o.refill?.id === item.refill);
    if (order) order.refill.status = item.error ?? item.status;
  }
}

async function refreshOrders() {
  const message = $("orders-message");
  await ordersAction(async () => {
    try {
      await refreshStatuses();
      say(message, "ok", `Statuses updated at ${new Date().toLocaleTimeString("en-GB")}.`);
    } catch (error) {
      const { title, detail } = explain(error);
      say(message, "error", `Statuses could not be read. ${title}`, detail);
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
      await refreshStatuses().catch(() => {});
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
