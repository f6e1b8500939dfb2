// The orders placed from this browser, kept in localStorage per API URL (never the key).

const PREFIX = "smm-panel-orders:";

export function loadOrders(apiUrl) {
  try {
    const stored = JSON.parse(localStorage.getItem(PREFIX + apiUrl) ?? "[]");
    if (!Array.isArray(stored)) return [];
    // Lists stored before order types were known kept the drip-feed flag in `type`.
    return stored.filter((o) => Number.isSafeInteger(o?.order))
      .map((o) => ({ ...o, kind: o.kind ?? (o.type === "dripfeed" ? "dripfeed" : "normal"), final: Boolean(o.final) }));
  } catch {
    return [];
  }
}

export function saveOrders(apiUrl, orders) {
  try {
    localStorage.setItem(PREFIX + apiUrl, JSON.stringify(orders));
  } catch {
    // Storage full or disabled (private mode): the list still works for this visit.
  }
}
