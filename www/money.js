// Exact decimal arithmetic for money shown on the page: the panel's rates and charges are decimal
// strings, and a price must never pass through a float. Values are { units: BigInt, scale } with
// value = units / 10^scale.
// Charges are estimated by the SDK (catalog.estimateCharge); this module only compares decimals
// (cost against balance) and sorts rates.

const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;

/** Parses "0.27819" (or "12", "-1.5") exactly; null for anything that is not a plain decimal. */
export function parseDecimal(text) {
  const match = DECIMAL.exec(String(text).trim());
  if (!match) return null;
  const [, sign, whole, fraction = ""] = match;
  const units = BigInt(whole + fraction);
  return { units: sign ? -units : units, scale: fraction.length };
}

/** Both values brought to the same scale, as BigInts. */
function aligned(a, b) {
  const scale = Math.max(a.scale, b.scale);
  return [a.units * 10n ** BigInt(scale - a.scale), b.units * 10n ** BigInt(scale - b.scale)];
}

/** -1, 0 or 1, exactly. */
export function compareDecimal(a, b) {
  const [x, y] = aligned(a, b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** A key that sorts decimals of differing scales correctly with BigInt comparison. */
export function sortKey(text, scale = 12) {
  const value = parseDecimal(text);
  if (!value) return null;
  return value.units * 10n ** BigInt(Math.max(0, scale - value.scale)) / 10n ** BigInt(Math.max(0, value.scale - scale));
}
